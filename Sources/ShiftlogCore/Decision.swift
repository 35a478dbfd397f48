/// What ``decide(_:state:context:)`` returns for an accepted command: the events to append
/// (possibly none) and what to answer the caller, by id, to be read from the state after the
/// events are folded.
public struct Decision: Sendable, Hashable {
    public var events: [Event]
    public var reply: Reply

    public init(events: [Event], reply: Reply = .done) {
        self.events = events
        self.reply = reply
    }

    /// The answer to a command, by reference into the resulting state.
    public enum Reply: Sendable, Hashable {
        case done
        case worker(WorkerID)
        case workItem(WorkItemID)
        case noWorkItem
        case registered(workerId: WorkerID, workItemId: WorkItemID)
        case locks(acquired: Bool, blockedFiles: [String])
    }
}

/// The inputs of a decision that are not in the state: the time and a source of new ids.
/// Injected, so the same commands give the same log.
public struct DecisionContext: Sendable {
    public var now: Timestamp
    public var ids: any IDSource
    public var configuration: LifecycleConfiguration

    public init(now: Timestamp, ids: any IDSource, configuration: LifecycleConfiguration) {
        self.now = now
        self.ids = ids
        self.configuration = configuration
    }
}
