@testable import ShiftlogCore
import Synchronization
import Testing

/// Issue 12: every number a command carries is range-checked where it enters the core. Given a
/// running worker, when a command holds a number outside ``NumericBounds``, then it is refused
/// with `validationFailed` naming the field and the range, and no event is appended.
@Suite struct NumericBoundsTests {
    final class Counter: IDSource {
        let n = Mutex(0)
        func next(_ kind: IDKind) -> String { "\(kind.rawValue)-\(n.withLock { $0 += 1; return $0 })" }
    }

    static let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    /// Given: an item and its running worker, `worker-2`.
    private func givenARunningWorker() throws -> (LifecycleState, DecisionContext) {
        let context = DecisionContext(now: Self.t0, ids: Counter(), configuration: .init())
        var state = LifecycleState()
        for command in [Command.addWorkItem(NewWorkItem(repo: "acme/web")), .spawnNext] {
            let events = try decide(command, state: state, context: context).events
            _ = state.record(events, at: Self.t0, correlationId: "given")
        }
        try #require(state.workers["worker-2"]?.status.isActive == true)
        return (state, context)
    }

    struct Case: Sendable, CustomStringConvertible {
        var command: Command
        var field: String
        var range: String
        var description: String { field }
    }

    static let outOfRange: [Case] = [
        Case(command: .heartbeat(workerId: "worker-2", Heartbeat(iteration: .max)), field: "iteration", range: "0 and 1000000"),
        Case(command: .heartbeat(workerId: "worker-2", Heartbeat(iteration: -1)), field: "iteration", range: "0 and 1000000"),
        Case(command: .heartbeat(workerId: "worker-2", Heartbeat(iteration: 1, tokensIn: .max)), field: "tokensIn",
             range: "0 and 1000000000000000"),
        Case(command: .heartbeat(workerId: "worker-2", Heartbeat(iteration: 1, tokensOut: -5)), field: "tokensOut",
             range: "0 and 1000000000000000"),
        Case(command: .fail(workerId: "worker-2", Failure(error: "boom", iteration: .max)), field: "iteration",
             range: "0 and 1000000"),
        Case(command: .stuck(workerId: "worker-2", reason: "loop", attempts: .max), field: "attempts", range: "0 and 1000000"),
        Case(command: .complete(workerId: "worker-2", Completion(prNumber: .max)), field: "prNumber", range: "0 and 1000000000"),
        Case(command: .complete(workerId: "worker-2", Completion(metrics: WorkerMetrics(duration: .max))),
             field: "metrics.duration", range: "0 and 1000000000000"),
        Case(command: .complete(workerId: "worker-2", Completion(metrics: WorkerMetrics(testsRun: -1))),
             field: "metrics.testsRun", range: "0 and 1000000000"),
        Case(command: .addWorkItem(NewWorkItem(repo: "acme/web", maxIterations: .max)), field: "maxIterations",
             range: "1 and 1000000"),
        Case(command: .recordContainerStopped(workerId: "worker-2", containerId: nil, found: true, exitCode: .max, logTail: []),
             field: "exitCode", range: "-2147483648 and 2147483647"),
    ]

    @Test(arguments: outOfRange)
    func anOutOfRangeNumberIsRefusedAndAppendsNothing(_ testCase: Case) throws {
        let (state, context) = try givenARunningWorker()
        #expect {
            _ = try decide(testCase.command, state: state, context: context)
        } throws: { error in
            guard let error = error as? LifecycleError else { return false }
            return error.code == .validationFailed
                && error.message.hasPrefix("'\(testCase.field)' must be between \(testCase.range), got ")
        }
    }

    @Test func theLargestAllowedIterationIsAccepted() throws {
        let (state, context) = try givenARunningWorker()
        let top = NumericBounds.iteration.upperBound
        let events = try decide(.heartbeat(workerId: "worker-2", Heartbeat(iteration: top)), state: state, context: context).events
        #expect(events.count == 1)
    }

    /// An out-of-range number is refused before the worker is looked up: the same answer whatever the state.
    @Test func theRangeIsCheckedBeforeTheState() {
        let context = DecisionContext(now: Self.t0, ids: Counter(), configuration: .init())
        #expect(throws: LifecycleError(.validationFailed, "'iteration' must be between 0 and 1000000, got -1")) {
            _ = try decide(.heartbeat(workerId: "worker-404", Heartbeat(iteration: -1)), state: LifecycleState(), context: context)
        }
    }

    @Test func rulesOutsideTheirRangeAreNotRecorded() {
        var rules = LifecycleConfiguration()
        rules.cooldownSeconds = .max
        let context = DecisionContext(now: Self.t0, ids: Counter(), configuration: rules)
        #expect(throws: LifecycleError(.validationFailed, "'cooldownSeconds' must be between 0 and 86400, got \(Int64.max)")) {
            _ = try decide(.recordConfiguration, state: LifecycleState(), context: context)
        }
    }

    /// Issue 20: a rule's range is its setting's, the one `shiftlog serve` and `what-if` check
    /// (MAX_WORKERS once allowed 1…10,000 there and 1…100,000 here).
    @Test func aRuleIsRecordedWithinItsSettingsRangeAndRefusedPastIt() throws {
        var rules = LifecycleConfiguration()
        rules.maxWorkers = 10_000
        rules.retryBackoffSeconds = [0, 86_400]
        let accepted = DecisionContext(now: Self.t0, ids: Counter(), configuration: rules)
        #expect(try decide(.recordConfiguration, state: LifecycleState(), context: accepted).events.count == 1)

        rules.maxWorkers = 10_001
        let refused = DecisionContext(now: Self.t0, ids: Counter(), configuration: rules)
        #expect(throws: LifecycleError(.validationFailed, "'maxWorkers' must be between 1 and 10000, got 10001")) {
            _ = try decide(.recordConfiguration, state: LifecycleState(), context: refused)
        }
        rules.maxWorkers = 2
        rules.retryBackoffSeconds = [60, 86_401]
        let backoff = DecisionContext(now: Self.t0, ids: Counter(), configuration: rules)
        #expect(throws: LifecycleError(.validationFailed, "'retryBackoffSeconds' must be between 0 and 86400, got 86401")) {
            _ = try decide(.recordConfiguration, state: LifecycleState(), context: backoff)
        }
    }
}
