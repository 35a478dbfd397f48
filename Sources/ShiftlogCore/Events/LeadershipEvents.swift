/// An instance became the one that runs the loop, reconciliation and the container effects
/// on a log shared by several instances, for `term` (one more than the last term recorded).
/// Outcomes an instance submits carry its term, and the writer refuses them once a newer term
/// is recorded, so a deposed leader can never act again (fencing).
public struct LeaderElected: Sendable, Hashable, Codable {
    /// Which instance: its host name and process id, e.g. `orchestrator-2:4242`.
    public var instance: String
    public var term: UInt64

    public init(instance: String, term: UInt64) {
        self.instance = instance
        self.term = term
    }
}

/// The instance leading a shared log, and since when: the last ``LeaderElected``.
public struct Leadership: Sendable, Hashable, Codable {
    public var instance: String
    public var term: UInt64
    public var since: Timestamp

    public init(instance: String, term: UInt64, since: Timestamp) {
        self.instance = instance
        self.term = term
        self.since = since
    }
}
