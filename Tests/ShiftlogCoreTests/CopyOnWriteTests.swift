@testable import ShiftlogCore
import Testing

/// `Worker` and `WorkItem` keep their fields in a shared box; they must still behave as
/// values: a copy never sees a change made through another.
@Suite struct CopyOnWriteTests {
    static let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    private func worker() -> Worker {
        Worker(id: "worker-1", workItemId: "item-1", status: .running, mode: .execution, lastHeartbeat: Self.t0, startedAt: Self.t0)
    }

    @Test func aCopyKeepsItsFieldsWhenTheOriginalChanges() {
        var original = worker()
        let copy = original
        original.iteration = 3
        original.error = "boom"
        #expect(copy.iteration == 0)
        #expect(copy.error == nil)
        #expect(original.iteration == 3)
        #expect(copy != original)
    }

    @Test func equalFieldsInSeparateBoxesAreEqualAndHashAlike() {
        let a = worker()
        var b = worker()
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        b.containerId = "c1"
        #expect(a != b)
    }

    @Test func aStateHandedToAReaderDoesNotSeeTheNextHeartbeat() {
        var state = LifecycleState()
        state.apply(RecordedEvent(
            sequence: 1, time: Self.t0, correlationId: "cmd", causationId: nil,
            event: .workItemAdded(WorkItemAdded(
                workItemId: "item-1", repo: "acme/web", branch: nil, spec: nil, description: nil, type: .execution,
                priority: .medium, maxIterations: 5, parentWorkItemId: nil, prNumber: nil, source: nil, sourceRef: nil,
                metadata: [:]))))
        state.apply(RecordedEvent(
            sequence: 2, time: Self.t0.adding(seconds: 1), correlationId: "cmd", causationId: nil,
            event: .workerSpawned(WorkerSpawned(workerId: "worker-1", workItemId: "item-1", mode: .execution))))
        let reader = state
        state.apply(RecordedEvent(
            sequence: 3, time: Self.t0.adding(seconds: 60), correlationId: "cmd", causationId: nil,
            event: .heartbeatRecorded(HeartbeatRecorded(
                workerId: "worker-1", workItemId: "item-1", iteration: 4, status: nil, tokensIn: nil, tokensOut: nil))))

        #expect(reader.workers["worker-1"]?.iteration == 0)
        #expect(reader.workItems["item-1"]?.iteration == 0)
        #expect(reader.workers["worker-1"]?.status == .starting)
        #expect(state.workers["worker-1"]?.iteration == 4)
        #expect(state.workItems["item-1"]?.iteration == 4)
    }

    @Test func aMetadataChangeThroughACopyLeavesTheOriginal() {
        var original = WorkItem(id: "item-1", repo: "acme/web", maxIterations: 5, createdAt: Self.t0, updatedAt: Self.t0)
        original.metadata["k"] = .string("v")
        var copy = original
        copy.metadata["k"] = .string("changed")
        copy.metadata["new"] = .bool(true)
        #expect(original.metadata == ["k": .string("v")])
        #expect(copy.metadata == ["k": .string("changed"), "new": .bool(true)])
    }
}
