import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §5: `/health` said `ok` while every write answered 503. Now, while the store
/// refuses writes, it answers 503 `degraded` and names the store's error.
@Suite("Health reports the store")
struct StoreHealthTests {
    @Test func healthIsWritableWhileTheStoreTakesWrites() async throws {
        let service = try await RunningService.start()
        let answer = try await service.send(.GET, "/health")
        #expect(answer.status == 200)
        #expect(answer.body.contains(#""store":"writable""#), "\(answer.body)")
        #expect(answer.body.contains(#""status":"ok""#))
        try await service.stop()
    }

    @Test func aStoreThatRefusesWritesMakesHealth503() async throws {
        // A map capped at 256 KB fills after some items, as a full disk would.
        let service = try await RunningService.start(storeOptions: .init(initialMapSize: 64 << 10, maximumMapSize: 256 << 10))
        var refused: (any Error)?
        for n in 0..<5_000 where refused == nil {
            do {
                _ = try await service.engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Task \(n) " + String(repeating: "s", count: 1_500)))
            } catch {
                refused = error
            }
        }
        #expect((refused as? EngineError)?.code == .storage, "the map never filled")
        let answer = try await service.send(.GET, "/health")
        #expect(answer.status == 503)
        #expect(answer.body.contains(#""status":"degraded""#), "\(answer.body)")
        #expect(answer.body.contains(#""store":"failing since "#), "\(answer.body)")
        #expect(answer.body.contains("map is full"), "\(answer.body)")
        // Only an append of events clears it (a handler's checkpoint may still fit): none fits here.
        #expect(service.engine.storeWriteFailure != nil)
        try await service.stop()
    }
}
