/// A worker was created for an item (`starting`); the container handler will start it.
/// The item becomes `in_progress` and the spawn time feeds the cooldown.
public struct WorkerSpawned: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var mode: SpawnMode
}

/// A worker announced itself (`running`). `created` is true when no active worker existed
/// for the item and this one was made on the spot.
public struct WorkerRegistered: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var created: Bool
}

/// A worker reported progress. An iteration above the previous one counts once towards the
/// daily budget of the event's UTC day.
public struct HeartbeatRecorded: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var iteration: Int
    public var status: String?
    public var tokensIn: Int?
    public var tokensOut: Int?
}

/// A worker finished its item (`completed`); the item is completed with it.
public struct WorkerCompleted: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var prUrl: String?
    public var prNumber: Int?
    public var verificationPassed: Bool?
    public var metrics: WorkerMetrics?
    public var learnings: [Learning]
    public var review: Review?
}

/// A worker reported a failure (`failed`). `error` is the message with category, context
/// and stack folded in, as whim stores it.
public struct WorkerFailed: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var error: String
    public var iteration: Int
    public var category: FailureCategory?
}

/// A worker gave up (`stuck`); its container is stopped and its item follows the retry rules.
public struct WorkerStuck: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var reason: String
    public var attempts: Int
}

/// The orchestrator killed an active worker (`killed`), e.g. for a heartbeat timeout.
public struct WorkerKilled: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var reason: String
}
