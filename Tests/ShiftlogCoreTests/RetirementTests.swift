import Foundation
@testable import ShiftlogCore
import Testing

/// Finished workers and items leave the projections 7 days after they finished, the same way
/// whether the state was folded from the start or decoded from a snapshot on the way.
@Suite struct RetirementTests {
    static let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    private func event(_ sequence: UInt64, after seconds: Int64, _ event: Event) -> RecordedEvent {
        RecordedEvent(
            sequence: sequence, time: Self.t0.adding(seconds: seconds), correlationId: "cmd-\(sequence)", causationId: nil,
            event: event)
    }

    private func history() -> [RecordedEvent] {
        [
            event(1, after: 0, .workItemAdded(WorkItemAdded(
                workItemId: "item-1", repo: "acme/web", branch: nil, spec: nil, description: nil, type: .execution,
                priority: .medium, maxIterations: 5, parentWorkItemId: nil, prNumber: nil, source: nil, sourceRef: nil,
                metadata: [:]))),
            event(2, after: 1, .workerSpawned(WorkerSpawned(workerId: "worker-1", workItemId: "item-1", mode: .execution))),
            event(3, after: 60, .heartbeatRecorded(HeartbeatRecorded(
                workerId: "worker-1", workItemId: "item-1", iteration: 4, status: nil, tokensIn: nil, tokensOut: nil))),
            event(4, after: 120, .workerCompleted(WorkerCompleted(
                workerId: "worker-1", workItemId: "item-1", prUrl: nil, prNumber: nil, verificationPassed: nil,
                metrics: nil, learnings: [], review: nil))),
            event(5, after: 125, .containerStopped(ContainerStopped(
                workerId: "worker-1", workItemId: "item-1", containerId: "c1", found: true, exitCode: 0, logTail: ["done"]))),
        ]
    }

    private let later = Event.workItemAssigned(WorkItemAssigned(workItemId: "none"))

    @Test func aFinishedWorkerAndItsItemRetireSevenDaysOnAndStayCounted() {
        var state = LifecycleState()
        for e in history() { state.apply(e) }
        state.apply(event(6, after: 120 + LifecycleState.retention - 1, later))
        #expect(state.workers["worker-1"] != nil, "one second short of 7 days")
        state.apply(event(7, after: 120 + LifecycleState.retention, later))
        #expect(state.workers["worker-1"] == nil && state.workItems["item-1"] == nil && state.capturedLogs["worker-1"] == nil)
        #expect(state.workerStats.total == 1 && state.workerStats.byStatus["completed"] == 1 && state.workerStats.avgIterations == 4)
        #expect(state.queueStats.total == 1 && state.queueStats.byStatus["completed"] == 1)
    }

    @Test func aStateDecodedFromASnapshotRetiresTheSameAsTheFold() throws {
        var folded = LifecycleState()
        for e in history() { folded.apply(e) }
        let fromBinary = try ProjectionSnapshotCodec.decode(ProjectionSnapshotCodec.encode(folded))
        let fromJSON = try JSONDecoder().decode(LifecycleState.self, from: CanonicalJSON.compactEncoder().encode(folded))
        for var state in [fromBinary, fromJSON] {
            var reference = folded
            let retiring = event(6, after: 120 + LifecycleState.retention, later)
            state.apply(retiring)
            reference.apply(retiring)
            #expect(state == reference)
            #expect(state.workers.isEmpty && state.retired.workers == 1)
            #expect(ProjectionSnapshotCodec.encode(state) == ProjectionSnapshotCodec.encode(reference))
        }
    }
}
