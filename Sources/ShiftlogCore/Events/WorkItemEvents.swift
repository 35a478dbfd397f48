/// A work item entered the queue (`queued`).
///
/// Schema version 2 added `policy`.
public struct WorkItemAdded: Sendable, Hashable, Codable {
    /// The new item's id, minted by the decision's ``IDSource``.
    public var workItemId: WorkItemID
    /// The repository the work is in, trimmed of surrounding whitespace, e.g. `acme/web`.
    public var repo: String
    /// The branch to work from; `nil` for the repository's default branch.
    public var branch: String?
    /// What the worker is to do.
    public var spec: String?
    /// A short description for people; a verification item's reads `Verify PR #N of <parent>`.
    public var description: String?
    /// An execution item, or a verification of another item's pull request.
    public var type: WorkItemType
    /// Where the item goes in the queue.
    public var priority: Priority
    /// The most iterations a worker may spend on the item: the command's value, or
    /// ``LifecycleConfiguration/defaultMaxIterations`` when it gave none. At least 1.
    public var maxIterations: Int
    /// For a verification item, the execution item whose pull request it verifies; `nil`
    /// for an item added from outside.
    public var parentWorkItemId: WorkItemID?
    /// For a verification item, the number of the pull request to verify; `nil` otherwise.
    public var prNumber: Int?
    /// Where the item came from (an issue tracker, say), as the caller gave it; a
    /// verification item inherits its parent's.
    public var source: String?
    /// The item's reference in its ``source``.
    public var sourceRef: String?
    /// Free-form fields kept with the item, including `idempotencyKey` when the add had one
    /// (``NewWorkItem/idempotencyKey``).
    public var metadata: [String: JSONValue]
    /// The item's own retry rules and time limits; `nil` when it gave none. Schema version 2
    /// added it; version 1 records read as `nil`.
    public var policy: WorkItemPolicy?

    /// An added item with the given fields.
    public init(
        workItemId: WorkItemID, repo: String, branch: String?, spec: String?, description: String?,
        type: WorkItemType, priority: Priority, maxIterations: Int, parentWorkItemId: WorkItemID?, prNumber: Int?,
        source: String?, sourceRef: String?, metadata: [String: JSONValue], policy: WorkItemPolicy? = nil
    ) {
        self.workItemId = workItemId
        self.repo = repo
        self.branch = branch
        self.spec = spec
        self.description = description
        self.type = type
        self.priority = priority
        self.maxIterations = maxIterations
        self.parentWorkItemId = parentWorkItemId
        self.prNumber = prNumber
        self.source = source
        self.sourceRef = sourceRef
        self.metadata = metadata
        self.policy = policy
    }
}

/// `queue.next` handed the item out (`assigned`).
public struct WorkItemAssigned: Sendable, Hashable, Codable {
    /// The item handed out.
    public var workItemId: WorkItemID
}

/// The item ended `cancelled`: at once when it was `queued` or `assigned`; for a running
/// item, when its worker ended after a ``CancelRequested`` without completing. Never retried.
///
/// Schema version 2 added `workerId` and `reason`; version 1 records read as `nil` for both.
public struct WorkItemCancelled: Sendable, Hashable, Codable {
    /// The item cancelled.
    public var workItemId: WorkItemID
    /// The worker that was running it, for a running item's cancel; `nil` otherwise.
    public var workerId: WorkerID?
    /// Why, as the caller of the cancel gave it; `nil` when none was given.
    public var reason: String?
}

/// A finished item (`failed`, `completed` or `cancelled`) was put back in the queue by hand;
/// its retry count starts again at zero.
public struct WorkItemRequeued: Sendable, Hashable, Codable {
    /// The item put back in the queue.
    public var workItemId: WorkItemID
}

/// The item's worker ended without success and the item goes back to the queue, to be
/// picked again no earlier than `nextRetryAt` (`nil`: at once).
public struct WorkItemRetryScheduled: Sendable, Hashable, Codable {
    /// The item going back to the queue.
    public var workItemId: WorkItemID
    /// The worker that ended without success.
    public var workerId: WorkerID
    /// Retries so far, this one included (1 after the first failure).
    public var retryCount: Int
    /// The earliest time the item may be handed out again: now plus
    /// the item's backoff for this retry (its own ``RetryPolicy`` or the server's schedule),
    /// jitter applied, for an execution item; `nil` (at once) for a verification item that
    /// gave no backoff of its own.
    public var nextRetryAt: Timestamp?
    /// Why the worker ended: the error it reported, or the kill's or loss's reason.
    public var error: String
}

/// The item failed for good: retries exhausted, or its iterations used up.
public struct WorkItemFailed: Sendable, Hashable, Codable {
    /// The item that failed.
    public var workItemId: WorkItemID
    /// Its last worker.
    public var workerId: WorkerID
    /// Retries counted, the one refused included (one more than the limit when retries are
    /// exhausted).
    public var retryCount: Int
    /// The worker's error, followed by why no retry follows, e.g. `(retries exhausted: 3 of 3)`.
    public var error: String
}

/// A verification item finished: its parent's `metadata.verificationStatus` records it.
public struct VerificationRecorded: Sendable, Hashable, Codable {
    /// The execution item whose pull request was verified.
    public var parentWorkItemId: WorkItemID
    /// The verification item that finished.
    public var verificationWorkItemId: WorkItemID
    /// The verdict: `false` when the worker gave none.
    public var passed: Bool
}
