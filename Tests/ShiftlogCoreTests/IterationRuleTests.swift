@testable import ShiftlogCore
import Testing

/// Iterations never go backwards: a lower one reported by a heartbeat or a failure keeps the
/// worker alive (or records its end) with the iteration it had reached.
@Suite struct IterationRuleTests {
    let started: [Event] = [.workItemAdded(.item("item-1", maxIterations: 5)), .spawned("worker-1", for: "item-1")]

    @Test func aLowerHeartbeatIsRecordedAtTheIterationReached() {
        let given = Given(started + [.heartbeat("worker-1", for: "item-1", iteration: 4)])
        let when = given.when(.heartbeat(workerId: "worker-1", Heartbeat(iteration: 1, status: "running", tokensIn: 7)))
        #expect(when == .success([.heartbeatRecorded(.init(
            workerId: "worker-1", workItemId: "item-1", iteration: 4, status: "running", tokensIn: 7, tokensOut: nil))]))
    }

    @Test func theSameIterationAgainIsALivenessHeartbeatThatCountsOnce() throws {
        let given = Given(started + [.heartbeat("worker-1", for: "item-1", iteration: 3)])
        let later = given.time.adding(seconds: 200)
        #expect(given.when(.heartbeat(workerId: "worker-1", Heartbeat(iteration: 3)), at: later)
            == .success([.heartbeat("worker-1", for: "item-1", iteration: 3)]))
        let after = try given.after(.heartbeat(workerId: "worker-1", Heartbeat(iteration: 3)), at: later)
        #expect(after.workers["worker-1"]?.lastHeartbeat == later)
        #expect(after.rateLimit.iterations(on: later) == 1)
    }

    @Test func aLowerHeartbeatCannotCountTheSameIterationsTwiceAgainstTheBudget() throws {
        var state = Given(started).state
        var time = Given.t0.adding(seconds: 10)
        for iteration in [1, 2, 3, 1, 2, 3] {
            let context = DecisionContext(now: time, ids: NoIDs(), configuration: .init())
            let events = try decide(.heartbeat(workerId: "worker-1", Heartbeat(iteration: iteration)), state: state, context: context).events
            _ = state.record(events, at: time, correlationId: "c")
            time = time.adding(seconds: 1)
        }
        #expect(state.rateLimit.iterations(on: time) == 3)
        #expect(state.workers["worker-1"]?.iteration == 3 && state.workItems["item-1"]?.iteration == 3)
    }

    @Test func aWorkerAtItsMaximumCannotDodgeTheMaxIterationsRule() throws {
        var given = Given(started + [.heartbeat("worker-1", for: "item-1", iteration: 5)])
        let beat = try given.when(.heartbeat(workerId: "worker-1", Heartbeat(iteration: 1))).get()
        for event in beat { given.append(event, at: given.time.adding(seconds: 1)) }
        let when = given.when(.kill(workerId: "worker-1", reason: "heartbeat timeout"))
        #expect(when == .success([
            .workerKilled(.init(workerId: "worker-1", workItemId: "item-1", reason: "heartbeat timeout")),
            .workItemFailed(.init(
                workItemId: "item-1", workerId: "worker-1", retryCount: 1,
                error: "heartbeat timeout (iterations exhausted: 5 of 5)")),
        ]))
    }

    @Test func aFailureReportingALowerIterationKeepsTheIterationReached() {
        let given = Given(started + [.heartbeat("worker-1", for: "item-1", iteration: 4)])
        let when = given.when(.fail(workerId: "worker-1", Failure(error: "boom", iteration: 2)))
        let retryAt = given.time.adding(seconds: 1).adding(seconds: 60)
        #expect(when == .success([
            .workerFailed(.init(workerId: "worker-1", workItemId: "item-1", error: "boom", iteration: 4, category: nil)),
            .workItemRetryScheduled(.init(
                workItemId: "item-1", workerId: "worker-1", retryCount: 1, nextRetryAt: retryAt, error: "boom")),
        ]))
    }

    @Test func aHigherIterationStillAdvances() {
        let given = Given(started + [.heartbeat("worker-1", for: "item-1", iteration: 2)])
        #expect(given.when(.heartbeat(workerId: "worker-1", Heartbeat(iteration: 3)))
            == .success([.heartbeat("worker-1", for: "item-1", iteration: 3)]))
    }
}

private struct NoIDs: IDSource {
    func next(_ kind: IDKind) -> String { "unused" }
}
