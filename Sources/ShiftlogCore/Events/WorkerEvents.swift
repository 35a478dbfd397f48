/// A worker was created for an item (`starting`); the container handler will start it.
/// The item becomes `in_progress` and the spawn time feeds the cooldown.
public struct WorkerSpawned: Sendable, Hashable, Codable {
    /// The new worker's id, minted by the decision's ``IDSource``; also its container's name.
    public var workerId: WorkerID
    /// The item it was spawned for.
    public var workItemId: WorkItemID
    /// The mode the item's type calls for: `verification` for a verification item.
    public var mode: SpawnMode
}

/// A worker announced itself (`running`). `created` is true when no active worker existed
/// for the item and this one was made on the spot.
public struct WorkerRegistered: Sendable, Hashable, Codable {
    /// The worker: the item's active worker, or a new id when `created`.
    public var workerId: WorkerID
    /// The item it registered for.
    public var workItemId: WorkItemID
    /// Whether the worker was made by this registration (no active worker existed for the
    /// item), rather than being the item's existing worker announcing itself.
    public var created: Bool
}

/// A worker reported progress. An iteration above the previous one counts once towards the
/// daily budget of the event's UTC day.
public struct HeartbeatRecorded: Sendable, Hashable, Codable {
    /// The worker that reported.
    public var workerId: WorkerID
    /// The item the worker works on.
    public var workItemId: WorkItemID
    /// The iteration reached: the reported one, or the worker's previous one if that was
    /// higher (iterations never go backwards).
    public var iteration: Int
    /// The worker's own word on what it is doing, if it gave one.
    public var status: String?
    /// Tokens read so far, if the worker counts them.
    public var tokensIn: Int?
    /// Tokens written so far, if the worker counts them.
    public var tokensOut: Int?
}

/// A worker finished its item (`completed`); the item is completed with it.
public struct WorkerCompleted: Sendable, Hashable, Codable {
    /// The worker that finished.
    public var workerId: WorkerID
    /// Its item, completed with it.
    public var workItemId: WorkItemID
    /// The pull request the worker opened, if any; it replaces the item's for an execution
    /// item.
    public var prUrl: String?
    /// Its number, if given. With ``Completion/verificationEnabled`` it queues a verification
    /// item in the same decision.
    public var prNumber: Int?
    /// A verification item's verdict (`false` when the worker gave none); `nil` for an
    /// execution item.
    public var verificationPassed: Bool?
    /// What the work cost, if reported: kept in ``LifecycleState/metrics``.
    public var metrics: WorkerMetrics?
    /// What the worker learned, kept in ``LifecycleState/learnings`` for later workers.
    public var learnings: [Learning]
    /// The worker's review of its pull request, kept in ``LifecycleState/reviews``.
    public var review: Review?
}

/// A worker reported a failure (`failed`). `error` is the message with category, context
/// and stack folded in, as whim stores it.
public struct WorkerFailed: Sendable, Hashable, Codable {
    /// The worker that failed.
    public var workerId: WorkerID
    /// Its item, which follows the retry rules.
    public var workItemId: WorkItemID
    /// The failure as one string: `[CATEGORY] ` first when a category was given, then the
    /// message, ` context=` and the context as canonical JSON, and the stack on the next line.
    public var error: String
    /// The iteration reached: the reported one, or the worker's previous one if that was
    /// higher.
    public var iteration: Int
    /// The kind of failure the worker gave, if any.
    public var category: FailureCategory?
}

/// A worker gave up (`stuck`); its container is stopped and its item follows the retry rules.
public struct WorkerStuck: Sendable, Hashable, Codable {
    /// The worker that gave up.
    public var workerId: WorkerID
    /// Its item, which follows the retry rules.
    public var workItemId: WorkItemID
    /// Why the worker gave up, as it said (trimmed, never empty).
    public var reason: String
    /// How many attempts the worker says it made.
    public var attempts: Int
}

/// The orchestrator killed an active worker (`killed`), e.g. for a heartbeat timeout.
public struct WorkerKilled: Sendable, Hashable, Codable {
    /// The worker killed.
    public var workerId: WorkerID
    /// Its item, which follows the retry rules (and fails if its iterations are used up).
    public var workItemId: WorkItemID
    /// Why: the caller's reason (`killed` when none was given), or `heartbeat timeout` for
    /// the loop's kill of a stale worker.
    public var reason: String
}
