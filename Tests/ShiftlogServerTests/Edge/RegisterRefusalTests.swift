import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §4: a `register` refused because the credential belongs to another item's worker
/// (403) was recorded nowhere. Now it is an `accessRefused` event, as every other refusal.
@Suite("Register refusals are audited")
struct RegisterRefusalTests {
    @Test func registerWithAnotherItemsWorkerIsRecorded() async throws {
        let service = try await RunningService.start(apiKey: "s3cret")
        let (_, w1) = try await service.spawnWorker(spec: "first")
        let (item2, w2) = try await service.spawnWorker(spec: "second")
        let answer = try await service.send(
            .POST, "/api/worker/register", body: #"{"workItemId":"\#(item2)"}"#, base: service.workerURL(w1))
        #expect(answer.status == 403)
        let refused = try service.engine.log.read(after: 0, limit: 1_000).compactMap { stored -> AccessRefused? in
            guard case .accessRefused(let refusal) = stored.event else { return nil }
            return refusal
        }
        #expect(refused.count == 1)
        #expect(refused.first?.presentedWorkerId == w1)
        #expect(refused.first?.targetWorkerId == w2)
        #expect(refused.first?.route.hasPrefix("POST ") == true)
        try await service.stop()
    }
}
