@testable import ShiftlogCore
import Testing

/// Issue 12: a log written before numbers were range-checked may hold `Int.max` iterations,
/// durations and retry counts. Folding it, asking for the stats and deciding on it must not
/// trap: evolve and the queries saturate.
@Suite struct ExtremeValuesFoldTests {
    static let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    private func event(_ sequence: UInt64, at time: Timestamp, _ event: Event) -> RecordedEvent {
        RecordedEvent(sequence: sequence, time: time, correlationId: "cmd-\(sequence)", causationId: nil, event: event)
    }

    private func added(_ item: String) -> Event {
        .workItemAdded(WorkItemAdded(
            workItemId: item, repo: "acme/web", branch: nil, spec: nil, description: nil, type: .execution,
            priority: .medium, maxIterations: .max, parentWorkItemId: nil, prNumber: .max, source: nil, sourceRef: nil,
            metadata: [:]))
    }

    /// Two workers complete at `Int.max` iterations with `Int.max` durations, a third item's
    /// retry count is `Int.max`, and the log then jumps 7 days (retirement) and to the end of time.
    private func history() -> [RecordedEvent] {
        var events: [Event] = []
        for n in 1...2 {
            events += [
                added("item-\(n)"),
                .workerSpawned(WorkerSpawned(workerId: "worker-\(n)", workItemId: "item-\(n)", mode: .execution)),
                .heartbeatRecorded(HeartbeatRecorded(
                    workerId: "worker-\(n)", workItemId: "item-\(n)", iteration: .max, status: nil, tokensIn: .max,
                    tokensOut: .max)),
                .workerCompleted(WorkerCompleted(
                    workerId: "worker-\(n)", workItemId: "item-\(n)", prUrl: nil, prNumber: .max, verificationPassed: nil,
                    metrics: WorkerMetrics(tokensIn: .max, duration: .max), learnings: [], review: nil)),
            ]
        }
        events += [
            added("item-3"),
            .workerSpawned(WorkerSpawned(workerId: "worker-3", workItemId: "item-3", mode: .execution)),
            .workItemRetryScheduled(WorkItemRetryScheduled(
                workItemId: "item-3", workerId: "worker-3", retryCount: .max, nextRetryAt: nil, error: "x")),
            .workerSpawned(WorkerSpawned(workerId: "worker-4", workItemId: "item-3", mode: .execution)),
            .heartbeatRecorded(HeartbeatRecorded(
                workerId: "worker-4", workItemId: "item-3", iteration: .max, status: nil, tokensIn: nil, tokensOut: nil)),
        ]
        var recorded = events.enumerated().map { event(UInt64($0.offset + 1), at: Self.t0, $0.element) }
        let assigned = Event.workItemAssigned(WorkItemAssigned(workItemId: "none"))
        recorded.append(event(UInt64(recorded.count + 1), at: Self.t0.adding(seconds: LifecycleState.retention + 1), assigned))
        recorded.append(event(UInt64(recorded.count + 1), at: Timestamp(millisecondsSinceEpoch: .max), assigned))
        return recorded
    }

    @Test func aLogHoldingInt64MaxValuesAndASevenDayJumpFolds() {
        var state = LifecycleState()
        for recorded in history() { state.apply(recorded) }
        #expect(state.workers["worker-1"] == nil && state.workers["worker-2"] == nil, "retired after 7 days")
        #expect(state.retired.completedIterations == .max)
        let stats = state.workerStats
        #expect(stats.byStatus["completed"] == 2)
        #expect(stats.avgIterations > 0 && stats.avgDuration > 0)
        _ = state.queueStats
        _ = state.rateLimit.iterations(on: Timestamp(millisecondsSinceEpoch: .min))
    }

    @Test func decidingOnSuchAStateUnderExtremeRulesDoesNotTrap() throws {
        var state = LifecycleState()
        for recorded in history().dropLast(2) { state.apply(recorded) }
        var rules = LifecycleConfiguration()
        rules.cooldownSeconds = .max
        rules.staleThresholdSeconds = .max
        rules.maxRetries = .max
        rules.retryBackoffSeconds = [.max]
        for now in [Self.t0, Timestamp(millisecondsSinceEpoch: .min), Timestamp(millisecondsSinceEpoch: .max)] {
            _ = state.capacity(at: now, rules)
            _ = state.staleWorkers(at: now, rules)
            let context = DecisionContext(now: now, ids: FixedIDs(), configuration: rules)
            // The kill schedules a retry: retry count `Int.max` + 1, backoff `Int64.max` seconds.
            let decision = try decide(.kill(workerId: "worker-4", reason: "test"), state: state, context: context)
            #expect(decision.events.contains { $0.type == .workItemFailed || $0.type == .workItemRetryScheduled })
        }
    }

    final class FixedIDs: IDSource {
        func next(_ kind: IDKind) -> String { "\(kind.rawValue)-fixed" }
    }
}
