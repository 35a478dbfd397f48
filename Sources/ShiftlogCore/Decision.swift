/// What ``decide(_:state:context:)`` returns for an accepted command: the events to append
/// (possibly none) and what to answer the caller, by id, to be read from the state after the
/// events are folded.
public struct Decision: Sendable, Hashable {
    /// The events to append, in order; empty when the command changes nothing.
    public var events: [Event]
    /// What to answer the caller.
    public var reply: Reply

    /// A decision to append `events` and answer `reply`.
    public init(events: [Event], reply: Reply = .done) {
        self.events = events
        self.reply = reply
    }

    /// The answer to a command, by reference into the resulting state.
    public enum Reply: Sendable, Hashable {
        /// Nothing to answer beyond success.
        case done
        /// The worker the command spawned.
        case worker(WorkerID)
        /// The item the command added, assigned, cancelled or requeued (for an add with a known
        /// idempotency key, the item added earlier).
        case workItem(WorkItemID)
        /// No queued item was ready to hand out or spawn for.
        case noWorkItem
        /// The worker that registered for an item: its active worker, or one made on the spot.
        case registered(workerId: WorkerID, workItemId: WorkItemID)
        /// Whether every requested lock is now the worker's, and the paths held by other workers.
        case locks(acquired: Bool, blockedFiles: [String])
        /// The items a cancel by filter cancelled or asked the workers of to end, oldest first.
        case workItems([WorkItemID])
    }
}

/// The inputs of a decision that are not in the state: the time and a source of new ids.
/// Injected, so the same commands give the same log.
public struct DecisionContext: Sendable {
    /// The time of the decision, stamped on its events.
    public var now: Timestamp
    /// Where new worker and item ids come from.
    public var ids: any IDSource
    /// The rules' limits (capacity, cooldown, budget, retries, …).
    public var configuration: LifecycleConfiguration

    /// A context with every field given.
    public init(now: Timestamp, ids: any IDSource, configuration: LifecycleConfiguration) {
        self.now = now
        self.ids = ids
        self.configuration = configuration
    }
}
