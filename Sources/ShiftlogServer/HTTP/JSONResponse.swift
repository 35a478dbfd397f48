import Foundation
public import HTTPTypes
public import Hummingbird

/// A JSON answer with a status: every success answer of the service is one, because whim's
/// worker client parses the body of every 2xx and fails on an empty one.
///
/// Keys are sorted, so equal values give equal bytes (the route tests compare bodies with
/// golden files).
public struct JSONResponse<Value: Encodable>: ResponseGenerator {
    /// The HTTP status (200 by default).
    public var status: HTTPResponse.Status
    /// What the body encodes, with sorted keys and unescaped slashes.
    public var value: Value

    /// An answer of `value` as JSON, with `status`.
    public init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(status: status, bytes: try JSONResponseEncoder.encode(value))
    }

    /// The answer for bytes already encoded (by ``JSONResponseEncoder``).
    static func response(status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The one encoder of answers: sorted keys, no escaped slashes (URLs stay readable).
enum JSONResponseEncoder {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        // The most frequent answer by far (every heartbeat's) is a constant.
        if value is Success { return Success.encoded }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

/// `{"success": true}`, whim's answer to most worker calls.
struct Success: Encodable, Sendable {
    let success = true

    /// What ``JSONResponseEncoder`` makes of it, encoded once (`{"success":true}`).
    static let encoded: [UInt8] = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(Success()))
    }()
}
