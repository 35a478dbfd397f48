import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1

/// An answer the network edge gives by itself, before or instead of the router: a refused
/// connection, a request that is not HTTP/1.1 or takes too long. It has the service's shape
/// (`{"error", "code"}` with a length), and always closes the connection, so it is written as
/// bytes, past the HTTP encoder (which gives a response to `CONNECT` no body).
struct EdgeAnswer: Sendable, Equatable {
    var code: APIErrorCode
    var message: String
    var headers: [(String, String)] = []

    /// The code's status (``APIErrorCode/status``), as NIO writes it.
    var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: Int(code.status.code)) }

    static func == (lhs: EdgeAnswer, rhs: EdgeAnswer) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    static let tooManyConnections = EdgeAnswer(
        code: .tooManyConnections,
        "the service has as many connections open as it takes (MAX_CONNECTIONS); retry shortly",
        headers: [("Retry-After", "1")])
    static let bodyTooLarge = EdgeAnswer(
        code: .payloadTooLarge, "the request body is larger than 1 MB")
    static let connectNotAllowed = EdgeAnswer(
        code: .methodNotAllowed, "CONNECT is not allowed here",
        headers: [("Allow", "GET, POST, DELETE")])

    static func headerTimeout(_ timeout: Duration) -> EdgeAnswer {
        EdgeAnswer(
            code: .requestTimeout,
            "the request's line and headers did not arrive within \(seconds(timeout)) (REQUEST_HEADER_TIMEOUT_SECONDS)")
    }

    static func bodyTimeout(_ timeout: Duration) -> EdgeAnswer {
        EdgeAnswer(
            code: .requestTimeout,
            "the request's body did not arrive within \(seconds(timeout)) (REQUEST_BODY_TIMEOUT_SECONDS)")
    }

    /// `10 s`, `0.25 s`.
    private static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        return fraction == 0 ? "\(whole) s" : "\(Double(whole) + Double(fraction) / 1e18) s"
    }

    /// The answer to a request the HTTP/1.1 parser refused; `inRequestLine` tells a URL that
    /// is too long (414) from headers that are (431).
    static func unparseable(_ error: HTTPParserError, inRequestLine: Bool) -> EdgeAnswer {
        switch error {
        case .headerOverflow where inRequestLine:
            EdgeAnswer(code: .uriTooLong, "the request line is longer than 80 KB")
        case .headerOverflow:
            EdgeAnswer(
                code: .headersTooLarge,
                "the request's headers are larger than 80 KB or more than 1000")
        case .invalidContentLength, .unexpectedContentLength:
            malformed("its Content-Length is not one whole number")
        case .invalidChunkSize:
            malformed("its chunked body is malformed")
        case .invalidMethod:
            malformed("its method is not one HTTP/1.1 knows")
        case .lfExpected, .strictModeAssertion:
            malformed("its lines do not end in CRLF")
        default:
            malformed("\(error)")
        }
    }

    private static func malformed(_ reason: String) -> EdgeAnswer {
        EdgeAnswer(code: .malformedRequest, "the request is not valid HTTP/1.1: \(reason)")
    }

    private init(code: APIErrorCode, _ message: String, headers: [(String, String)] = []) {
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// The whole response: status line, headers (`Connection: close`, the length) and body.
    func bytes(allocator: ByteBufferAllocator) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(["error": message, "code": code.description])) ?? Data()
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        head += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        return buffer
    }
}
