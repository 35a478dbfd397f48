import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Who may call what when `API_KEY` is set (`Fixtures/HTTP/routes.api-key.txt`).
@Suite("Access with API_KEY")
struct AccessTests {
    @Test func managementRoutesNeedTheKeyAndWorkersTheirCredential() async throws {
        let service = try await RunningService.start(apiKey: "s3cret")
        let (_, w1) = try await service.spawnWorker()
        var t = Transcript(service)
        try await t.exchange("health stays open", .GET, "/health", expect: 200)
        try await t.exchange("status without the key", .GET, "/api/status", expect: 401)
        try await t.exchange("status with a wrong key", .GET, "/api/status", as: .apiKey("guess"), expect: 401)
        try await t.exchange("status with X-API-Key", .GET, "/api/status", as: .apiKey("s3cret"), expect: 200)
        try await t.exchange("status with the key as a bearer token", .GET, "/api/status",
            headers: [("Authorization", "Bearer s3cret")], expect: 200)
        try await t.exchange("a worker's credential does not open management routes", .GET, "/api/workers",
            as: .worker(w1), expect: 401)
        try await t.exchange("but it opens learnings, which workers call", .GET, "/api/learnings?repo=acme/web",
            as: .worker(w1), expect: 200)
        try await t.exchange("learnings without anything", .GET, "/api/learnings", expect: 401)
        try await t.exchange("the key opens a worker route", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":1}"#, as: .apiKey("s3cret"), expect: 200)
        try await t.exchange("register needs the key", .POST, "/api/worker/register",
            body: #"{"workItemId":"item-1"}"#, expect: 401)
        try await t.exchange("add work with the key", .POST, "/api/work",
            body: #"{"repo":"acme/web","spec":"x"}"#, as: .apiKey("s3cret"), expect: 201)
        t.verify(named: "api-key")

        let refused = try service.engine.log.read(after: 0, limit: 1_000).filter { $0.event.type == .accessRefused }
        #expect(refused.count == 5)
        try await service.stop()
    }

    @Test func aFloodOfRefusedRequestsCannotFillTheLog() async throws {
        let service = try await RunningService.start()
        let (_, w1) = try await service.spawnWorker()
        let started = ContinuousClock.now
        for _ in 0..<150 {
            let answer = try await service.send(.POST, "/api/worker/\(w1)/heartbeat", body: #"{"iteration":1}"#)
            #expect(answer.status == 401)
        }
        let elapsed = started.duration(to: .now)
        let refused = try service.engine.log.read(after: 0, limit: 10_000).filter { $0.event.type == .accessRefused }
        // The bucket holds 100 and refills at 20 a second: no more than that is recorded.
        let allowed = 100 + Int((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 20) + 1
        #expect(refused.count >= 100 && refused.count <= min(allowed, 150), "\(refused.count) refusals recorded in \(elapsed)")
        #expect(service.engine.state.workers[w1]?.iteration == 0)
        try await service.stop()
    }
}
