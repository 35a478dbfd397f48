import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// whim's client retries a request whose answer it lost: the repeat gets the first answer and
/// appends nothing, within one run and across a restart.
@Suite("Repeated worker requests")
struct RepeatedRequestTests {
    func count(_ type: EventType, in service: RunningService) throws -> Int {
        try service.engine.log.read(after: 0, limit: 10_000).filter { $0.event.type == type }.count
    }

    @Test func aRepeatedRequestIsAnsweredAsTheFirstAndAppendsNothing() async throws {
        let service = try await RunningService.start()
        let (_, w1) = try await service.spawnWorker()
        let url = service.workerURL(w1)
        let beat = #"{"iteration":1,"status":"running"}"#
        let first = try await service.send(.POST, "/api/worker/\(w1)/heartbeat", body: beat, base: url)
        let again = try await service.send(.POST, "/api/worker/\(w1)/heartbeat", body: beat, base: url)
        #expect(first.status == 200 && again.status == 200 && again.body == first.body)
        #expect(try count(.heartbeatRecorded, in: service) == 1)

        let lock = #"{"repo":"acme/web","files":["a.ts"]}"#
        let locked = try await service.send(.POST, "/api/worker/\(w1)/lock", body: lock, base: url)
        let relocked = try await service.send(.POST, "/api/worker/\(w1)/lock", body: lock, base: url)
        #expect(relocked.body == locked.body && relocked.body == #"{"acquired":true,"blockedFiles":[]}"#)
        #expect(try count(.locksAcquired, in: service) == 1)

        // A different body is a new request.
        let next = try await service.send(.POST, "/api/worker/\(w1)/heartbeat", body: #"{"iteration":2}"#, base: url)
        #expect(next.status == 200)
        #expect(try count(.heartbeatRecorded, in: service) == 2)

        let done = #"{"prNumber":3}"#
        #expect(try await service.send(.POST, "/api/worker/\(w1)/complete", body: done, base: url).status == 200)
        #expect(try await service.send(.POST, "/api/worker/\(w1)/complete", body: done, base: url).status == 200)
        #expect(try count(.workerCompleted, in: service) == 1)
        // Another ending of a completed worker is still a conflict.
        let fail = try await service.send(.POST, "/api/worker/\(w1)/fail", body: #"{"error":"x","iteration":2}"#, base: url)
        #expect(fail.status == 409 && fail.body.contains("WORKER_NOT_ACTIVE"))
        try await service.stop()
    }

    @Test func aCompletionRetriedAfterARestartIsAnsweredAsTheFirst() async throws {
        let runtime = InMemoryContainerRuntime()
        let first = try await RunningService.start(runtime: runtime)
        let (_, w1) = try await first.spawnWorker()
        let done = try await first.send(.POST, "/api/worker/\(w1)/complete", body: #"{"prNumber":3}"#, base: first.workerURL(w1))
        #expect(done.status == 200)
        try await first.stop(keepingFolder: true)

        let second = try await RunningService.start(folder: first.folder, runtime: runtime, ids: RandomIDs())
        let retried = try await second.send(.POST, "/api/worker/\(w1)/complete", body: #"{"prNumber":3}"#, base: second.workerURL(w1))
        #expect(retried.status == 200 && retried.body == #"{"success":true}"#)
        #expect(try count(.workerCompleted, in: second) == 1)
        try await second.stop()
    }
}
