/// An operator made a `failed` or `cancelled` item run again now, with a fresh retry count,
/// or made a `queued` item that waits for its backoff due now (`POST /api/work/:id/retry`).
public struct WorkItemRetriedNow: Sendable, Hashable, Codable {
    /// The item.
    public var workItemId: WorkItemID
    /// Its status when it was asked: `failed`, `cancelled`, or `queued` (waiting for its
    /// backoff, which this ends; its retry count is kept).
    public var previousStatus: WorkItemStatus
    /// Who asked, as the caller named itself (`api` when it did not).
    public var requestedBy: String
}

/// An operator changed a waiting item's priority (`POST /api/work/:id/priority`); the queue
/// order follows at once.
public struct WorkItemPriorityChanged: Sendable, Hashable, Codable {
    /// The item.
    public var workItemId: WorkItemID
    /// Its new priority.
    public var priority: Priority
    /// Its priority before.
    public var previousPriority: Priority
    /// Who asked, as the caller named itself (`api` when it did not).
    public var requestedBy: String
}

/// The item's deadline passed before it ended: it ends `failed` with the error
/// `deadline: …`, and its worker, if one is active, is stopped as a kill is. Decided by the
/// loop in the writer, on the state as it is then.
public struct WorkItemDeadlinePassed: Sendable, Hashable, Codable {
    /// The item.
    public var workItemId: WorkItemID
    /// Its active worker, stopped with it; `nil` when it had none (queued or assigned).
    public var workerId: WorkerID?
    /// The deadline that passed, in seconds from its queueing (or its last retry or requeue
    /// by hand).
    public var deadlineSeconds: Int64
}
