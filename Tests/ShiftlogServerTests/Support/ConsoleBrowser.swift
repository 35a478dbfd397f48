import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A browser's part in the console's tests: keeps the session cookie the console hands out,
/// follows no redirect by itself (the tests look at each 303), and reads the CSRF token of the
/// last page's forms.
final class ConsoleBrowser: @unchecked Sendable {
    struct Page: Sendable {
        var status: Int
        var body: String
        var headers: HTTPHeaders
        var location: String? { headers.first(name: "Location") }
        /// The CSRF token of the page's forms.
        var csrf: String? {
            guard let range = body.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
            return body[range].split(separator: "\"")[3].description
        }
    }

    let base: String
    private(set) var cookie: String?
    private let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    init(port: Int) {
        base = "http://127.0.0.1:\(port)"
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// Posts `fields` as a form (`application/x-www-form-urlencoded`).
    func post(_ path: String, _ fields: [(String, String)]) async throws -> Page {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    /// Posts a raw body as a form.
    func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        if let set = response.headers.first(name: "Set-Cookie"), let pair = set.split(separator: ";").first {
            cookie = pair.hasSuffix("=") ? nil : String(pair)
        }
        return Page(status: Int(response.status.code), body: String(buffer: bytes), headers: response.headers)
    }
}
