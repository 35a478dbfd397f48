/// An instance became the one that runs the loop, reconciliation and the container effects
/// on a log shared by several instances, for `term` (one more than the last term recorded).
/// Outcomes an instance submits carry its term, and the writer refuses them once a newer term
/// is recorded, so a deposed leader can never act again (fencing).
public struct LeaderElected: Sendable, Hashable, Codable {
    /// Which instance: its host name and process id, e.g. `orchestrator-2:4242`.
    public var instance: String
    /// The new term: one more than the last term recorded (1 for a log's first leader).
    public var term: UInt64

    /// An election of `instance` for `term`.
    public init(instance: String, term: UInt64) {
        self.instance = instance
        self.term = term
    }
}

/// The instance leading a shared log, and since when: the last ``LeaderElected``.
public struct Leadership: Sendable, Hashable, Codable {
    /// The leading instance: its host name and process id, e.g. `orchestrator-2:4242`.
    public var instance: String
    /// Its term, which fences outcomes submitted by earlier leaders.
    public var term: UInt64
    /// The time of its ``LeaderElected`` event.
    public var since: Timestamp

    /// A leadership of `instance` for `term`, since `since`.
    public init(instance: String, term: UInt64, since: Timestamp) {
        self.instance = instance
        self.term = term
        self.since = since
    }
}
