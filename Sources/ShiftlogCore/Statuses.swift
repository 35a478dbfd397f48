/// A worker's lifecycle status, as whim names it. Active means `starting` or `running`.
public enum WorkerStatus: String, Sendable, Codable, CaseIterable {
    /// `starting`: spawned, its container not yet reported running; `running`: registered or
    /// heartbeating; `completed`, `failed`, `stuck`, `killed`: how it ended (a lost worker
    /// ends as `failed`).
    case starting, running, completed, failed, stuck, killed

    /// Whether the worker still occupies a slot of capacity.
    public var isActive: Bool { self == .starting || self == .running }
}

/// A work item's status.
public enum WorkItemStatus: String, Sendable, Codable, CaseIterable {
    /// `generating`: whim's status for an item whose spec is still being written (Shiftlog's
    /// rules never set it); `queued`: waiting in the queue; `assigned`: handed out by
    /// `queue.next`, no worker yet.
    case generating, queued, assigned
    /// A worker is working on it (stored as `in_progress`).
    case inProgress = "in_progress"
    /// Finished: its worker completed it, it failed for good, or it was cancelled. Only
    /// ``Command/requeueWorkItem(_:)`` brings it back.
    case completed, failed, cancelled
}

/// What a work item asks of its worker.
public enum WorkItemType: String, Sendable, Codable, CaseIterable {
    /// `execution`: work on the repository, usually ending in a pull request;
    /// `verification`: a review of the pull request of its parent item.
    case execution, verification
}

/// Queue priority; `critical` goes first.
public enum Priority: String, Sendable, Codable, CaseIterable {
    /// From least to most urgent (``rank`` 0 to 3).
    case low, medium, high, critical

    /// Larger is more urgent.
    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }
}

/// How a worker container is started: verification workers get `WORKER_MODE=verification`.
public enum SpawnMode: String, Sendable, Codable, CaseIterable {
    /// The worker's mode, which follows its item's ``WorkItemType``.
    case execution, verification
}

/// The category a worker gives when it reports a failure.
public enum FailureCategory: String, Sendable, Codable, CaseIterable {
    /// The worker's work itself went wrong.
    case executionError = "EXECUTION_ERROR"
    /// Something took too long.
    case timeout = "TIMEOUT"
    /// The worker ran out of a resource (memory, disk, quota).
    case resourceError = "RESOURCE_ERROR"
    /// A network call failed.
    case networkError = "NETWORK_ERROR"
    /// Input or output did not pass validation.
    case validationError = "VALIDATION_ERROR"
    /// The worker itself is broken.
    case internalError = "INTERNAL_ERROR"
    /// None of the above, or not known.
    case unknown = "UNKNOWN"
}
