@testable import ShiftlogCore

/// The plain form of a lifecycle rule's test: given these events, when this command, then
/// exactly these events or this error.
///
/// ```swift
/// let given = Given([.workItemAdded(.item("item-1"))])
/// #expect(given.when(.spawn(workItemId: "item-1", mode: nil)) == .success([...]))
/// ```
struct Given {
    static let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    private(set) var state = LifecycleState()
    /// The time of the last event given.
    private(set) var time: Timestamp

    /// Folds `events`, one second apart from ``t0``.
    init(_ events: [Event], start: Timestamp = Given.t0) {
        time = start
        for (index, event) in events.enumerated() {
            append(event, at: start.adding(seconds: Int64(index)))
        }
    }

    /// Folds `event` at `time` (never before the last one).
    mutating func append(_ event: Event, at time: Timestamp) {
        self.time = time
        state.apply(RecordedEvent(
            sequence: state.lastSequence + 1, time: time, correlationId: "given-\(state.lastSequence + 1)",
            causationId: nil, event: event))
    }

    /// The events `command` decides at `now` (default: a second after the last event), or
    /// its refusal. New ids are `worker-new-1`, `item-new-1`, ….
    func when(
        _ command: Command, at now: Timestamp? = nil, configuration: LifecycleConfiguration = .init()
    ) -> Result<[Event], LifecycleError> {
        let context = DecisionContext(now: now ?? time.adding(seconds: 1), ids: NewIDs(), configuration: configuration)
        return Result { () throws(LifecycleError) in try decide(command, state: state, context: context).events }
    }

    /// The state after `command`'s events are folded at `now`.
    func after(_ command: Command, at now: Timestamp? = nil, configuration: LifecycleConfiguration = .init()) throws
        -> LifecycleState
    {
        var next = self
        let at = now ?? time.adding(seconds: 1)
        for event in try when(command, at: at, configuration: configuration).get() { next.append(event, at: at) }
        return next.state
    }
}

/// `worker-new-1`, `item-new-1`, …, counted per decision.
private final class NewIDs: IDSource, @unchecked Sendable {
    private var count = 0  // one decision, one thread
    func next(_ kind: IDKind) -> String {
        count += 1
        return "\(kind.rawValue)-new-\(count)"
    }
}

extension WorkItemAdded {
    /// An item as `add` records it, with the fields a rule's test cares about.
    static func item(
        _ id: WorkItemID, type: WorkItemType = .execution, priority: Priority = .medium, maxIterations: Int = 50,
        policy: WorkItemPolicy? = nil
    ) -> WorkItemAdded {
        WorkItemAdded(
            workItemId: id, repo: "acme/web", branch: nil, spec: "do it", description: nil, type: type,
            priority: priority, maxIterations: maxIterations, parentWorkItemId: nil, prNumber: nil, source: nil,
            sourceRef: nil, metadata: [:], policy: policy)
    }
}

extension Event {
    static func spawned(_ worker: WorkerID, for item: WorkItemID, mode: SpawnMode = .execution) -> Event {
        .workerSpawned(.init(workerId: worker, workItemId: item, mode: mode))
    }

    static func heartbeat(_ worker: WorkerID, for item: WorkItemID, iteration: Int) -> Event {
        .heartbeatRecorded(.init(
            workerId: worker, workItemId: item, iteration: iteration, status: nil, tokensIn: nil, tokensOut: nil))
    }
}
