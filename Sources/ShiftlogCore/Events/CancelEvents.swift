/// A running item was cancelled: its worker is asked to end within `graceSeconds`. The item
/// stays `in_progress` until the worker ends; the worker learns of the request in the answer
/// to its next heartbeat or lock call.
public struct CancelRequested: Sendable, Hashable, Codable {
    /// The item being cancelled.
    public var workItemId: WorkItemID
    /// Its active worker, asked to end.
    public var workerId: WorkerID
    /// Why, as the caller gave it (trimmed); `nil` when none was given.
    public var reason: String?
    /// How long the worker has to end before it is stopped: the
    /// ``LifecycleConfiguration/cancelGraceSeconds`` in force when the cancel was decided.
    public var graceSeconds: Int64
}

/// A worker asked to end by a cancel had not ended `graceSeconds` after the request: it is
/// killed (its container stopped at once, as for a kill) and its item ends `cancelled`.
public struct CancelGraceExpired: Sendable, Hashable, Codable {
    /// The worker stopped.
    public var workerId: WorkerID
    /// Its item, which ends `cancelled`.
    public var workItemId: WorkItemID
    /// The grace it was given.
    public var graceSeconds: Int64
}
