@testable import ShiftlogCore
import Testing

/// Issue 18 §2: a worker that reports its end is left to exit; its container is stopped only
/// if it still runs `endGraceSeconds` after that end. A worker the orchestrator ends is
/// stopped at once.
@Suite struct EndGraceRuleTests {
    static let running: [Event] = [
        .workItemAdded(.item("item-1")), .spawned("worker-1", for: "item-1"),
        .containerStarted(.init(workerId: "worker-1", workItemId: "item-1", containerId: "c1", environment: nil)),
    ]
    static let completed = Event.workerCompleted(.init(
        workerId: "worker-1", workItemId: "item-1", prUrl: nil, prNumber: nil, verificationPassed: nil, metrics: nil,
        learnings: [], review: nil))

    @Test(arguments: [
        completed,
        .workerFailed(.init(workerId: "worker-1", workItemId: "item-1", error: "e", iteration: 0, category: nil)),
        .workerStuck(.init(workerId: "worker-1", workItemId: "item-1", reason: "r", attempts: 1)),
    ])
    func aReportedEndLeavesTheContainerToExit(_ end: Event) throws {
        let given = Given(Self.running + [end])
        #expect(given.state.awaitingExit == ["worker-1": given.time])
        #expect(end.stoppedWorkerId == nil && end.endedWorkerId == "worker-1")
    }

    @Test(arguments: [
        Event.workerKilled(.init(workerId: "worker-1", workItemId: "item-1", reason: "k")),
        .cancelGraceExpired(.init(workerId: "worker-1", workItemId: "item-1", graceSeconds: 30)),
        .workerLost(.init(workerId: "worker-1", workItemId: "item-1", containerId: "c1", reason: "gone")),
    ])
    func anEndTheOrchestratorDecidesStopsAtOnce(_ end: Event) throws {
        #expect(Given(Self.running + [end]).state.awaitingExit.isEmpty)
        #expect(end.stoppedWorkerId == "worker-1")
    }

    @Test func theGraceElapsesOnlyAfterEndGraceSeconds() throws {
        let given = Given(Self.running + [Self.completed])
        var rules = LifecycleConfiguration()
        rules.endGraceSeconds = 10
        #expect(given.when(.expireEndGrace(workerId: "worker-1"), at: given.time.adding(seconds: 9), configuration: rules)
            == .failure(LifecycleError(.invalidState, "worker 'worker-1' is within its 10 s end grace")))
        #expect(try given.when(.expireEndGrace(workerId: "worker-1"), at: given.time.adding(seconds: 10), configuration: rules).get()
            == [.endGraceElapsed(.init(workerId: "worker-1", workItemId: "item-1", graceSeconds: 10))])
    }

    @Test func theGraceElapsesOnce() throws {
        let given = Given(Self.running + [Self.completed])
        let after = try given.after(.expireEndGrace(workerId: "worker-1"), at: given.time.adding(seconds: 30))
        #expect(after.awaitingExit.isEmpty)
        #expect(throws: LifecycleError(.invalidState, "worker 'worker-1' has no container left to exit")) {
            try decide(.expireEndGrace(workerId: "worker-1"), state: after, context: DecisionContext(
                now: given.time.adding(seconds: 60), ids: FixedIDs([]), configuration: .init()))
        }
    }

    @Test func anExitByItselfIsRecordedOnceWithItsCodeAndLines() throws {
        var given = Given(Self.running + [Self.completed])
        given.append(.endGraceElapsed(.init(workerId: "worker-1", workItemId: "item-1", graceSeconds: 30)), at: given.time.adding(seconds: 30))
        let exited = Command.recordContainerExited(workerId: "worker-1", containerId: "c1", exitCode: 0, logTail: ["done"])
        #expect(try given.when(exited).get()
            == [.containerExited(.init(workerId: "worker-1", workItemId: "item-1", containerId: "c1", exitCode: 0, logTail: ["done"]))])
        let after = try given.after(exited)
        #expect(after.capturedLogs["worker-1"] == ["done"])
        #expect(try decide(exited, state: after, context: DecisionContext(now: given.time, ids: FixedIDs([]), configuration: .init())).events == [])
        #expect(Given(Self.running).when(exited) == .failure(LifecycleError(.invalidState, "worker 'worker-1' is still starting")))
    }
}
