import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// The management routes over real HTTP, bodies compared with
/// `Fixtures/HTTP/routes.management-routes.txt`.
@Suite("Management routes")
struct ManagementRouteTests {
    @Test func everyManagementRouteAndItsFailures() async throws {
        let service = try await RunningService.start()
        var t = Transcript(service)

        try await t.exchange("health", .GET, "/health", expect: 200)
        try await t.exchange("status of an empty service", .GET, "/api/status", expect: 200)
        try await t.exchange("add an item with a spec", .POST, "/api/work",
            body: #"{"repo":"acme/web","spec":"Login\n### T1: Fix the login form\nMake it work.","priority":"high","maxIterations":30,"source":"github","sourceRef":"41","metadata":{"team":"web"}}"#,
            expect: 201)
        try await t.exchange("add an item with a description: the spec is the description, recorded as such", .POST, "/api/work",
            body: #"{"repo":"acme/api","description":"Speed up the search endpoint","branch":"perf/search"}"#, expect: 201)
        try await t.exchange("read it", .GET, "/api/work/item-2", expect: 200)
        try await t.exchange("add with an Idempotency-Key", .POST, "/api/work",
            body: #"{"repo":"acme/web","spec":"Once"}"#, headers: [("Idempotency-Key", "add-once-1")], expect: 201)
        try await t.exchange("the same add again: the same item, nothing queued", .POST, "/api/work",
            body: #"{"repo":"acme/web","spec":"Once"}"#, headers: [("Idempotency-Key", "add-once-1")], expect: 201)
        try await t.exchange("repo that is not owner/name", .POST, "/api/work", body: #"{"repo":"acme","spec":"x"}"#, expect: 400)
        try await t.exchange("repo with a bad character", .POST, "/api/work", body: #"{"repo":"-acme/web","spec":"x"}"#, expect: 400)
        try await t.exchange("both spec and description", .POST, "/api/work",
            body: #"{"repo":"acme/web","spec":"x","description":"y"}"#, expect: 400)
        try await t.exchange("neither spec nor description", .POST, "/api/work", body: #"{"repo":"acme/web"}"#, expect: 400)
        try await t.exchange("an empty spec", .POST, "/api/work", body: #"{"repo":"acme/web","spec":""}"#, expect: 400)
        try await t.exchange("a bad branch", .POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","branch":"-x"}"#, expect: 400)
        try await t.exchange("an unknown priority", .POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","priority":"urgent"}"#, expect: 400)
        try await t.exchange("maxIterations 0", .POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","maxIterations":0}"#, expect: 400)
        try await t.exchange("maxIterations 201", .POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","maxIterations":201}"#, expect: 400)
        try await t.exchange("metadata that is not an object", .POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","metadata":[1]}"#, expect: 400)
        try await t.exchange("a bad Idempotency-Key", .POST, "/api/work",
            body: #"{"repo":"acme/web","spec":"x"}"#, headers: [("Idempotency-Key", "has space")], expect: 400)
        try await t.exchange("an unknown item", .GET, "/api/work/item-99", expect: 404)
        try await t.exchange("cancel a queued item", .POST, "/api/work/item-3/cancel", expect: 200)
        try await t.exchange("cancel it again: the same answer", .POST, "/api/work/item-3/cancel", expect: 200)
        try await t.exchange("cancel an unknown item", .POST, "/api/work/item-99/cancel", expect: 404)
        try await t.exchange("requeue the cancelled item", .POST, "/api/work/item-3/requeue", expect: 200)
        try await t.exchange("requeue a queued item", .POST, "/api/work/item-3/requeue", expect: 400)
        try await t.exchange("verification of an item that has none", .GET, "/api/work/item-1/verification", expect: 404)
        try await t.exchange("the queue, default filter", .GET, "/api/queue", expect: 200)
        try await t.exchange("the queue, all verification items", .GET, "/api/queue?type=verification&status=all", expect: 200)
        try await t.exchange("the queue with an unknown type", .GET, "/api/queue?type=review", expect: 400)
        try await t.exchange("the queue with an unknown status", .GET, "/api/queue?status=done", expect: 400)

        // A worker runs item-1 to completion with a PR: a verification item follows.
        let worker = try await service.engine.spawn(workItemId: "item-1")
        try await service.engine.heartbeat(workerId: worker.id, Heartbeat(iteration: 3, tokensIn: 10, tokensOut: 5))
        try await service.engine.settle()
        try await t.exchange("workers, newest first", .GET, "/api/workers", expect: 200)
        try await t.exchange("logs of a running worker", .GET, "/api/workers/\(worker.id)/logs?lines=10", expect: 200)
        try await t.exchange("logs with lines=0", .GET, "/api/workers/\(worker.id)/logs?lines=0", expect: 400)
        try await t.exchange("logs of an unknown worker", .GET, "/api/workers/worker-99/logs", expect: 404)
        try await t.exchange("status with a worker running", .GET, "/api/status", expect: 200)
        try await service.engine.complete(workerId: worker.id, Completion(
            prUrl: "https://github.com/acme/web/pull/7", prNumber: 7, verificationEnabled: true,
            review: Review(modelUsed: "m1", findings: .object(["issues": .integer(2)])),
            metrics: WorkerMetrics(tokensIn: 1_000, tokensOut: 400, duration: 90_000),
            learnings: [Learning(content: "Cache the session", spec: "Fix the login form")]))
        try await service.engine.settle()
        try await t.exchange("verification of item-1", .GET, "/api/work/item-1/verification", expect: 200)
        try await t.exchange("cancel a completed item", .POST, "/api/work/item-1/cancel", body: #"{"reason":"late"}"#, expect: 409)
        try await t.exchange("cancel with a reason that is not a string", .POST, "/api/work/item-2/cancel", body: #"{"reason":1}"#, expect: 400)
        try await t.exchange("cancel by an empty filter", .POST, "/api/work/cancel", body: "{}", expect: 400)
        try await t.exchange("cancel by a status a cancel does not apply to", .POST, "/api/work/cancel",
            body: #"{"status":"failed"}"#, expect: 400)
        try await t.exchange("verification asked of a verification item", .GET, "/api/work/item-4/verification", expect: 400)
        try await t.exchange("metrics", .GET, "/api/metrics", expect: 200)
        try await t.exchange("learnings of a repo", .GET, "/api/learnings?repo=acme/web&spec=LOGIN&limit=5", expect: 200)
        try await t.exchange("learnings with a bad limit", .GET, "/api/learnings?limit=0", expect: 400)
        try await t.exchange("reviews", .GET, "/api/reviews", expect: 200)
        try await t.exchange("reviews of an item", .GET, "/api/reviews/work-item/item-1", expect: 200)
        try await t.exchange("the review of PR 7", .GET, "/api/reviews/pr/7", expect: 200)
        try await t.exchange("a PR number that is not a number", .GET, "/api/reviews/pr/seven", expect: 400)
        try await t.exchange("a PR without a review", .GET, "/api/reviews/pr/8", expect: 404)
        try await t.exchange("kill a finished worker", .POST, "/api/workers/\(worker.id)/kill", body: "{}", expect: 409)
        try await t.exchange("kill an unknown worker", .POST, "/api/workers/worker-99/kill", expect: 404)
        let second = try await service.engine.spawn(workItemId: "item-2")
        try await t.exchange("cancel item-2 while its worker runs", .POST, "/api/work/item-2/cancel",
            body: #"{"reason":"not needed"}"#, expect: 200)
        try await t.exchange("kill a running worker", .POST, "/api/workers/\(second.id)/kill",
            body: #"{"reason":"operator stop"}"#, expect: 200)
        try await t.exchange("cancel by repo: the items still waiting", .POST, "/api/work/cancel", body: #"{"repo":"acme/web"}"#, expect: 200)
        try await t.exchange("an unknown route", .GET, "/api/nothing", expect: 404)
        try await t.exchange("routes ignore case and a trailing slash", .GET, "/API/Status/", expect: 200)
        t.verify(named: "management-routes")

        let adds = try service.engine.log.read(after: 0, limit: 10_000).filter { $0.event.type == .workItemAdded }
        #expect(adds.count == 4, "3 adds by hand and 1 verification item; the repeated add appended nothing")
        #expect(service.engine.state.workItems["item-2"]?.metadata["specSource"] == .string("description"))
        try await service.stop()
    }
}
