@testable import ShiftlogCore
import Synchronization
import Testing

/// The loop's kill and start give-up are decided in the writer, on the state as it is then:
/// given these events, when the loop's command, then exactly these events or this refusal.
@Suite struct LoopDecisionTests {
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!
    let config = LifecycleConfiguration()  // stale after 300 s

    /// A state with item-1 and worker-1 spawned at t0 (starting, no container).
    func spawned() throws -> LifecycleState {
        var state = LifecycleState()
        let ids = FixedIDs(["item-1", "worker-1"])
        for command in [Command.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x")), .spawnNext] {
            let context = DecisionContext(now: t0, ids: ids, configuration: config)
            for event in try decide(command, state: state, context: context).events {
                state.apply(RecordedEvent(sequence: state.lastSequence + 1, time: t0, correlationId: "c", causationId: nil, event: event))
            }
        }
        return state
    }

    func decideAt(_ seconds: Int64, _ command: Command, on state: LifecycleState) throws(LifecycleError) -> [Event] {
        try decide(command, state: state, context: DecisionContext(now: t0.adding(seconds: seconds), ids: FixedIDs([]), configuration: config)).events
    }

    @Test func aStaleWorkerIsKilledWithHeartbeatTimeout() throws {
        let events = try decideAt(301, .killIfStale(workerId: "worker-1"), on: try spawned())
        #expect(events.first == .workerKilled(WorkerKilled(workerId: "worker-1", workItemId: "item-1", reason: "heartbeat timeout")))
    }

    @Test func aHeartbeatThatLandedFirstSparesTheWorker() throws {
        var state = try spawned()
        for event in try decideAt(290, .heartbeat(workerId: "worker-1", Heartbeat(iteration: 1)), on: state) {
            state.apply(RecordedEvent(sequence: state.lastSequence + 1, time: t0.adding(seconds: 290), correlationId: "h", causationId: nil, event: event))
        }
        #expect(throws: LifecycleError(.invalidState, "worker 'worker-1' heartbeat at 2026-03-01T09:04:50.000Z; no longer stale")) {
            try decideAt(301, .killIfStale(workerId: "worker-1"), on: state)
        }
    }

    @Test func anOverdueStartIsGivenUpAsASpawnFailure() throws {
        let events = try decideAt(120, .expireStart(workerId: "worker-1", deadlineSeconds: 120), on: try spawned())
        #expect(events.first == .workerSpawnFailed(WorkerSpawnFailed(
            workerId: "worker-1", workItemId: "item-1", reason: "no container within the 120 s start deadline")))
    }

    @Test func aContainerThatStartedFirstSparesTheStart() throws {
        var state = try spawned()
        for event in try decideAt(119, .recordContainerStarted(workerId: "worker-1", containerId: "c1"), on: state) {
            state.apply(RecordedEvent(sequence: state.lastSequence + 1, time: t0.adding(seconds: 119), correlationId: "s", causationId: nil, event: event))
        }
        #expect(throws: LifecycleError.self) { try decideAt(121, .expireStart(workerId: "worker-1", deadlineSeconds: 120), on: state) }
    }

    @Test func aStartWithinItsDeadlineIsNotGivenUp() throws {
        #expect(throws: LifecycleError(.invalidState, "worker 'worker-1' is within its 120 s start deadline")) {
            try decideAt(119, .expireStart(workerId: "worker-1", deadlineSeconds: 120), on: try spawned())
        }
    }
}

/// Hands out the given ids in order.
final class FixedIDs: IDSource {
    private let ids: Mutex<[String]>
    init(_ ids: [String]) { self.ids = Mutex(ids) }
    func next(_ kind: IDKind) -> String { ids.withLock { $0.isEmpty ? "\(kind.rawValue)-x" : $0.removeFirst() } }
}
