import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §4: no connection lived forever for being idle or slow. Now a kept-alive
/// connection with no request is closed after the idle timeout, and a request whose headers or
/// body dribble in is answered 408 (JSON) and closed after its timeout.
@Suite("Connection timeouts")
struct ConnectionTimeoutTests {
    /// Timeouts of 300 ms; `idle` longer for the tests of the others, so that it is theirs
    /// that ends the connection.
    static func start(idle: Duration = .milliseconds(300)) async throws -> RunningService {
        try await RunningService.start { server in
            server.requestHeaderTimeout = .milliseconds(300)
            server.requestBodyTimeout = .milliseconds(300)
            server.idleTimeout = idle
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        let service = try await Self.start()
        let connection = try await RawConnection.open(port: service.port)
        let started = ContinuousClock.now
        let (text, closed) = await connection.untilClosed()
        #expect(closed, "an idle connection was still open after 10 s")
        #expect(text.isEmpty)
        try await service.stop()
    }

    @Test func aKeptAliveConnectionIsClosedOnceIdle() async throws {
        let service = try await Self.start()
        let connection = try await RawConnection.open(port: service.port, sending: "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        let (text, closed) = await connection.untilClosed()
        #expect(closed, "a kept-alive connection was still open after 10 s")
        #expect(RawResponse(text)?.status == 200)
        try await service.stop()
    }

    @Test func headersThatDribbleInAreAnswered408() async throws {
        let service = try await Self.start(idle: .seconds(5))
        let connection = try await RawConnection.open(port: service.port)
        let dribble = Task {
            for byte in Array("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 200) {
                guard connection.isOpen else { return }
                try? await connection.send([byte])
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let (text, closed) = await connection.untilClosed()
        dribble.cancel()
        #expect(closed, "a client dribbling its headers was still connected after 10 s")
        let response = try #require(RawResponse(text), "no answer: \(text)")
        #expect(response.status == 408)
        #expect(response.body.contains(#""code":"REQUEST_TIMEOUT""#), "\(response.body)")
        #expect(response.headers["connection"] == "close")
        try await service.stop()
    }

    @Test func aBodyThatDribblesInIsAnswered408AndNothingIsAdded() async throws {
        let service = try await Self.start(idle: .seconds(5))
        let connection = try await RawConnection.open(
            port: service.port, sending: "POST /api/work HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"repo\":")
        let dribble = Task {
            for _ in 0..<200 {
                guard connection.isOpen else { return }
                try? await connection.send(" ")
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let (text, closed) = await connection.untilClosed()
        dribble.cancel()
        #expect(closed, "a client dribbling its body was still connected after 10 s")
        let response = try #require(RawResponse(text), "no answer: \(text)")
        #expect(response.status == 408)
        #expect(response.body.contains("REQUEST_BODY_TIMEOUT_SECONDS"), "\(response.body)")
        #expect(service.engine.state.workItems.isEmpty)
        try await service.stop()
    }
}
