import Foundation
import NIOHTTP1
@testable import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 18 §3–4 over real HTTP: an item's own retry rules and time limits on
/// `POST /api/work`, `POST /api/work/:id/retry` and `POST /api/work/:id/priority`, and every
/// refusal a 4xx naming the field (or, for the item's state, `INVALID_STATE`, a 400 as whim
/// answers a requeue, with the status) that appends nothing.
@Suite struct ItemControlRouteTests {
    func json(_ answer: RunningService.Answer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any], "\(answer.body)")
    }

    @Test func anItemsPolicyIsRecordedAndShownInTheShapeItWasGiven() async throws {
        let service = try await RunningService.start()
        let body = #"{"repo":"acme/web","spec":"x","retry":{"maxRetries":5,"exponential":{"initial":30,"factor":1.5,"max":600},"jitter":0.2,"nonRetryable":["VALIDATION_ERROR"]},"attemptTimeoutSeconds":900,"deadlineSeconds":3600}"#
        let added = try await service.send(.POST, "/api/work", body: body)
        #expect(added.status == 201, "\(added.body)")
        let id = try #require(try json(added)["id"] as? String)
        let item = try json(try await service.send(.GET, "/api/work/\(id)"))
        let policy = try #require(item["policy"] as? [String: Any], "\(item)")
        let retry = try #require(policy["retry"] as? [String: Any])
        #expect(retry["maxRetries"] as? Int == 5 && retry["jitter"] as? Double == 0.2)
        #expect(retry["nonRetryable"] as? [String] == ["VALIDATION_ERROR"])
        let exponential = try #require(retry["exponential"] as? [String: Any])
        #expect(exponential["initial"] as? Int == 30 && exponential["factor"] as? Double == 1.5 && exponential["max"] as? Int == 600)
        #expect(policy["attemptTimeoutSeconds"] as? Int == 900 && policy["deadlineSeconds"] as? Int == 3_600)
        #expect(item["deadlineAt"] as? String == RunningService.start.adding(seconds: 3_600).iso8601)
        let state = service.engine.state
        #expect(state.policies[id]?.retry?.backoff == .exponential(initialSeconds: 30, factorPerMille: 1_500, maxSeconds: 600))
        // An item without one shows none.
        let plain = try json(try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"y"}"#))
        let plainItem = try json(try await service.send(.GET, "/api/work/\(plain["id"] as? String ?? "")"))
        #expect(plainItem["policy"] == nil && plainItem["deadlineAt"] == nil)
        try await service.stop()
    }

    static let badBodies: [(String, String)] = [
        (#""retry":{"schedule":[60,-5]}"#, "'retry.schedule[1]'"),
        (#""retry":{"exponential":{"initial":10,"factor":0.5,"max":60}}"#, "'retry.exponential.factor'"),
        (#""retry":{"maxRetries":10000}"#, "'retry.maxRetries'"),
        (#""retry":{"nonRetryable":["AUTH_ERROR"]}"#, "'retry.nonRetryable[0]'"),
        (#""retry":{"jitter":1.5}"#, "'retry.jitter'"),
        (#""retry":{"jitter":"a lot"}"#, "'retry.jitter'"),
        (#""retry":{"jitter":0.0005}"#, "'retry.jitter'"),
        (#""retry":{"schedule":[60],"exponential":{"initial":1,"factor":2,"max":9}}"#, "'retry.schedule'"),
        (#""retry":{"exponential":{"initial":1,"max":9}}"#, "'retry.exponential.factor'"),
        (#""retry":{"maxretries":3}"#, "'retry.maxretries'"),
        (#""retry":[1]"#, "'retry'"),
        (#""attemptTimeoutSeconds":0"#, "'attemptTimeoutSeconds'"),
        (#""deadlineSeconds":-1"#, "'deadlineSeconds'"),
        (#""deadlineSeconds":1.5"#, "'deadlineSeconds'"),
    ]

    @Test(arguments: badBodies)
    func aBadPolicyIsA400NamingTheFieldAndAppendsNothing(_ field: String, _ named: String) async throws {
        let service = try await RunningService.start()
        let before = service.engine.state.lastSequence
        let answer = try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","# + field + "}")
        #expect(answer.status == 400, "\(answer.body)")
        let error = try json(answer)
        #expect(error["code"] as? String == "VALIDATION_ERROR")
        #expect((error["error"] as? String)?.contains(named) == true, "\(answer.body)")
        try await service.engine.settle()
        #expect(service.engine.state.lastSequence == before)
        try await service.stop()
    }

    /// Found by schemathesis: a repeat of an add's `Idempotency-Key` was answered with the
    /// first item before its body's ranges were checked, so an empty schedule got a 201.
    @Test func aRepeatedKeyWithABadPolicyIsStillRefused() async throws {
        let service = try await RunningService.start()
        let key = [("Idempotency-Key", "once")]
        #expect(try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"x"}"#, headers: key).status == 201)
        let answer = try await service.send(
            .POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","retry":{"schedule":[]}}"#, headers: key)
        #expect(answer.status == 400, "\(answer.body)")
        #expect(answer.body.contains("'retry.schedule'"), "\(answer.body)")
        try await service.stop()
    }

    @Test func aFailedItemIsRetriedNowByHandAndTheEventNamesWhoAsked() async throws {
        let service = try await RunningService.start()
        let added = try json(try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"x","retry":{"maxRetries":0}}"#))
        let id = try #require(added["id"] as? String)
        let worker = try await service.engine.spawn(workItemId: id)
        try await service.engine.fail(workerId: worker.id, error: "boom", iteration: 1)
        #expect(service.engine.state.workItems[id]?.status == .failed)

        let answer = try await service.send(.POST, "/api/work/\(id)/retry", body: #"{"requestedBy":"alice"}"#)
        #expect(answer.status == 200, "\(answer.body)")
        let item = try json(answer)
        #expect(item["status"] as? String == "queued" && item["retryCount"] as? Int == 0 && item["error"] is NSNull)
        let events = try service.engine.events(of: id)
        #expect(events.last == Event.workItemRetriedNow(.init(workItemId: id, previousStatus: .failed, requestedBy: "alice")))

        // Again: the item is queued and due, so nothing more is appended and the answer is the same.
        let sequence = service.engine.state.lastSequence
        let again = try await service.send(.POST, "/api/work/\(id)/retry")
        let againBody = try json(again)
        #expect(again.status == 200 && againBody["status"] as? String == "queued")
        #expect(service.engine.state.lastSequence == sequence)
        try await service.stop()
    }

    @Test func retryRefusalsAre404And400WithTheStatusAndAppendNothing() async throws {
        let service = try await RunningService.start()
        let (item, _) = try await service.spawnWorker()
        let before = service.engine.state.lastSequence
        let unknown = try await service.send(.POST, "/api/work/item-99/retry")
        let unknownBody = try json(unknown)
        #expect(unknown.status == 404 && unknownBody["code"] as? String == "NOT_FOUND")
        let running = try await service.send(.POST, "/api/work/\(item)/retry")
        #expect(running.status == 400, "\(running.body)")
        let error = try json(running)
        #expect(error["code"] as? String == "INVALID_STATE")
        #expect((error["details"] as? [String: Any])?["status"] as? String == "in_progress")
        let badName = try await service.send(.POST, "/api/work/\(item)/retry", body: #"{"requestedBy":""}"#)
        #expect(badName.status == 400)
        #expect(service.engine.state.lastSequence == before)
        try await service.stop()
    }

    @Test func aPriorityChangeReordersTheQueue() async throws {
        let service = try await RunningService.start()
        _ = try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"first"}"#)
        let second = try json(try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"second","priority":"low"}"#))
        let id = try #require(second["id"] as? String)
        let answer = try await service.send(.POST, "/api/work/\(id)/priority", body: #"{"priority":"critical","requestedBy":"bob"}"#)
        let answerBody = try json(answer)
        #expect(answer.status == 200 && answerBody["priority"] as? String == "critical", "\(answer.body)")
        let queue = try json(try await service.send(.GET, "/api/queue"))
        #expect((queue["items"] as? [[String: Any]])?.first?["id"] as? String == id)
        #expect(try service.engine.events(of: id).last
            == Event.workItemPriorityChanged(.init(workItemId: id, priority: .critical, previousPriority: .low, requestedBy: "bob")))

        let before = service.engine.state.lastSequence
        #expect(try await service.send(.POST, "/api/work/\(id)/priority", body: #"{"priority":"urgent"}"#).status == 400)
        #expect(try await service.send(.POST, "/api/work/\(id)/priority", body: "{}").status == 400)
        #expect(try await service.send(.POST, "/api/work/item-99/priority", body: #"{"priority":"low"}"#).status == 404)
        let (running, _) = try await service.spawnWorker()
        let refused = try await service.send(.POST, "/api/work/\(running)/priority", body: #"{"priority":"low"}"#)
        let refusedBody = try json(refused)
        #expect(refused.status == 400 && (refusedBody["details"] as? [String: Any])?["status"] as? String == "in_progress")
        #expect(service.engine.state.lastSequence == before + 3, "only the spawn's events: the refusals appended nothing")
        try await service.stop()
    }

    @Test func theLoopEndsAnItemPastItsDeadlineAndKillsAWorkerPastItsAttemptTimeout() async throws {
        let service = try await RunningService.start()
        let late = try json(try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"late","deadlineSeconds":60}"#))
        let slow = try json(try await service.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"slow","attemptTimeoutSeconds":30}"#))
        let lateId = try #require(late["id"] as? String), slowId = try #require(slow["id"] as? String)
        let worker = try await service.engine.spawn(workItemId: slowId)
        try await service.engine.settle()
        service.clock.advance(seconds: 30)
        let timedOut = try await service.engine.expireAttempts()
        #expect(timedOut.map(\.id) == [worker.id])
        #expect(service.engine.state.workers[worker.id]?.error == "attempt timeout")
        #expect(service.engine.state.workItems[slowId]?.status == .queued && service.engine.state.workItems[slowId]?.retryCount == 1)
        service.clock.advance(seconds: 30)
        #expect(try await service.engine.expireDeadlines() == [lateId])
        let item = try json(try await service.send(.GET, "/api/work/\(lateId)"))
        #expect(item["status"] as? String == "failed" && item["error"] as? String == "deadline: not ended within 60 s")
        try await service.stop()
    }
}

extension Engine {
    /// The events about `item`, as the log holds them.
    func events(of item: WorkItemID) throws -> [Event] {
        try log.read(after: 0, limit: 10_000).map(\.event).filter { $0.workItemIds.contains(item) }
    }
}
