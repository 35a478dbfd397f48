import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Clients of `GET /api/events` that read and discard what they are sent, counting the bytes:
/// the streams a console or a tail opens, catching up on a long log while the bench measures
/// something else.
final class EventStreamSubscribers: Sendable {
    private let client: HTTPClient
    private let tasks: Mutex<[Task<Void, Never>]>
    private let bytes = Atomic<Int>(0)

    private init(client: HTTPClient) {
        self.client = client
        tasks = Mutex([])
    }

    /// Opens `count` streams on `url`; returns once each has its answer's head.
    static func start(_ count: Int, url: String) async throws -> EventStreamSubscribers {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count
        let subscribers = EventStreamSubscribers(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
        let (opened, continuation) = AsyncStream.makeStream(of: Bool.self)
        for _ in 0..<count {
            let task = Task { [client = subscribers.client, bytes = subscribers] in
                do {
                    let response = try await client.execute(HTTPClientRequest(url: url), timeout: .hours(1))
                    continuation.yield(response.status == .ok)
                    for try await chunk in response.body { bytes.count(chunk.readableBytes) }
                } catch {
                    continuation.yield(false)
                }
            }
            subscribers.tasks.withLock { $0.append(task) }
        }
        var open = 0
        for await ok in opened {
            guard ok else { throw BenchFailure("an event stream did not open") }
            open += 1
            if open == count { break }
        }
        return subscribers
    }

    private func count(_ n: Int) { bytes.add(n, ordering: .relaxed) }

    /// Closes every stream and the client; returns the bytes read in all.
    func stop() async -> Int {
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        for task in running { await task.value }
        try? await client.shutdown()
        return bytes.load(ordering: .relaxed)
    }
}
