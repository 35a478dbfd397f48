/// A work item entered the queue (`queued`).
public struct WorkItemAdded: Sendable, Hashable, Codable {
    public var workItemId: WorkItemID
    public var repo: String
    public var branch: String?
    public var spec: String?
    public var description: String?
    public var type: WorkItemType
    public var priority: Priority
    public var maxIterations: Int
    public var parentWorkItemId: WorkItemID?
    public var prNumber: Int?
    public var source: String?
    public var sourceRef: String?
    public var metadata: [String: JSONValue]
}

/// `queue.next` handed the item out (`assigned`).
public struct WorkItemAssigned: Sendable, Hashable, Codable {
    public var workItemId: WorkItemID
}

/// The item was cancelled while `queued` or `assigned`.
public struct WorkItemCancelled: Sendable, Hashable, Codable {
    public var workItemId: WorkItemID
}

/// A finished item (`failed`, `completed` or `cancelled`) was put back in the queue by hand;
/// its retry count starts again at zero.
public struct WorkItemRequeued: Sendable, Hashable, Codable {
    public var workItemId: WorkItemID
}

/// The item's worker ended without success and the item goes back to the queue, to be
/// picked again no earlier than `nextRetryAt` (`nil`: at once).
public struct WorkItemRetryScheduled: Sendable, Hashable, Codable {
    public var workItemId: WorkItemID
    public var workerId: WorkerID
    public var retryCount: Int
    public var nextRetryAt: Timestamp?
    public var error: String
}

/// The item failed for good: retries exhausted, or its iterations used up.
public struct WorkItemFailed: Sendable, Hashable, Codable {
    public var workItemId: WorkItemID
    public var workerId: WorkerID
    public var retryCount: Int
    public var error: String
}

/// A verification item finished: its parent's `metadata.verificationStatus` records it.
public struct VerificationRecorded: Sendable, Hashable, Codable {
    public var parentWorkItemId: WorkItemID
    public var verificationWorkItemId: WorkItemID
    public var passed: Bool
}
