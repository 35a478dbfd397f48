import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ShiftlogCore

/// The console's answers: pages, redirects and assets, each with the same security headers,
/// and the reading of forms and queries.
extension Console {

    func html(_ text: String, status: Int) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func redirect(to location: String) -> Response {
        var headers = Self.securityHeaders
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    func asset(_ bytes: [UInt8], type: String) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Nothing but the console's own files may run or be loaded; no other site may frame it.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    static func form(_ request: Request) async throws(ConsoleError) -> FormFields {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw ConsoleError(status: 413, message: "The form is larger than 1 MB.")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw ConsoleError.badInput("The form is not UTF-8 text.")
        }
        return try FormFields(text)
    }

    /// The query's fields, or none when the query is malformed (only for the sign-in page's
    /// `next`, which then falls back to the overview).
    static func queryFields(_ query: String?) -> FormFields {
        (try? FormFields(query ?? "")) ?? FormFields(values: [:])
    }

}

