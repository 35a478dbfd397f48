import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §4: a request the HTTP/1.1 parser refuses was answered 400 with an empty body, and
/// `CONNECT` 404 with neither body nor length (the client waited for the close). Now each gets
/// `{"error", "code"}` with its status, a length, and `Connection: close`.
@Suite("Unparseable requests")
struct UnparseableRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: String
        var status: Int
        var code: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a 100 KB URL", bytes: "GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            status: 414, code: "URI_TOO_LONG"),
        Case(
            name: "80 KB of headers",
            bytes: "GET /health HTTP/1.1\r\nHost: x\r\n"
                + (0..<100).map { "X-Filler-\($0): \(String(repeating: "b", count: 900))\r\n" }.joined() + "\r\n",
            status: 431, code: "HEADERS_TOO_LARGE"),
        Case(name: "an unknown method", bytes: "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, code: "MALFORMED_REQUEST"),
        Case(
            name: "a Content-Length that is not a number",
            bytes: "POST /api/work HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", status: 400, code: "MALFORMED_REQUEST"),
        Case(
            name: "two Content-Lengths",
            bytes: "POST /api/work HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            status: 400, code: "MALFORMED_REQUEST"),
        Case(name: "lines ending in LF only", bytes: "GET /health HTTP/1.1\nHost: x\n\n", status: 400, code: "MALFORMED_REQUEST"),
        Case(name: "CONNECT", bytes: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", status: 405, code: "METHOD_NOT_ALLOWED"),
        Case(
            name: "a malformed chunked body",
            bytes: "POST /api/work HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            status: 400, code: "MALFORMED_REQUEST"),
    ]

    @Test(arguments: cases)
    func isAnsweredInJSONWithItsStatus(_ request: Case) async throws {
        let service = try await RunningService.start()
        let connection = try await RawConnection.open(port: service.port)
        try await connection.send(request.bytes)
        let (text, closed) = await connection.untilClosed()
        #expect(closed, "the connection stayed open after the answer")
        let response = try #require(RawResponse(text), "no answer: \(text.prefix(300))")
        #expect(response.status == request.status, "\(response.body)")
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(response.headers["content-length"] == String(response.body.utf8.count))
        let body = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: String]
        #expect(body?["code"] == request.code, "\(response.body)")
        #expect(body?["error"]?.isEmpty == false)
        #expect(service.engine.state.workItems.isEmpty)
        try await service.stop()
    }
}
