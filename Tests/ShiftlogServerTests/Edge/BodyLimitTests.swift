import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §4: `/cancel` and `/requeue` read and dropped a 100 MB body. Now every route
/// refuses a body over 1 MB with 413 in JSON before it runs, without reading the rest.
@Suite("Body limit on every route")
struct BodyLimitTests {
    @Test(arguments: ["cancel", "requeue"])
    func aDeclaredHundredMegabytesIsRefusedAtOnce(route: String) async throws {
        let service = try await RunningService.start()
        let item = try await service.engine.queue.add(NewWorkItem(repo: "acme/web", spec: "x"))
        let connection = try await RawConnection.open(port: service.port)
        // Only the headers and 64 KB are sent: the answer must not wait for the rest.
        try await connection.send(
            "POST /api/work/\(item.id)/\(route) HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n"
                + String(repeating: "a", count: 65_536))
        let (text, closed) = await connection.untilClosed()
        #expect(closed)
        let response = try #require(RawResponse(text), "no answer: \(text.prefix(300))")
        #expect(response.status == 413)
        #expect(response.body.contains(#""code":"PAYLOAD_TOO_LARGE""#), "\(response.body)")
        #expect(service.engine.state.workItems[item.id]?.status == .queued)
        try await service.stop()
    }

    @Test func aChunkedBodyOverTheLimitIsRefusedAndTheRouteDoesNotRun() async throws {
        let service = try await RunningService.start()
        let item = try await service.engine.queue.add(NewWorkItem(repo: "acme/web", spec: "x"))
        let connection = try await RawConnection.open(port: service.port)
        try await connection.send("POST /api/work/\(item.id)/cancel HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: "a", count: 65_536)
        for _ in 0..<20 where connection.isOpen {  // 1.25 MB offered
            try? await connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n")
        }
        let (text, closed) = await connection.untilClosed()
        #expect(closed)
        let response = try #require(RawResponse(text), "no answer: \(text.prefix(300))")
        #expect(response.status == 413)
        #expect(service.engine.state.workItems[item.id]?.status == .queued)
        try await service.stop()
    }

    @Test func aBodyWithinTheLimitIsStillRead() async throws {
        let service = try await RunningService.start()
        let answer = try await service.send(
            .POST, "/api/work", body: ##"{"repo":"acme/web","spec":"# Fix the login form"}"##)
        #expect(answer.status == 201)
        try await service.stop()
    }
}
