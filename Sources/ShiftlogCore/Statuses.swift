/// A worker's lifecycle status, as whim names it. Active means `starting` or `running`.
public enum WorkerStatus: String, Sendable, Codable, CaseIterable {
    case starting, running, completed, failed, stuck, killed

    /// Whether the worker still occupies a slot of capacity.
    public var isActive: Bool { self == .starting || self == .running }
}

/// A work item's status.
public enum WorkItemStatus: String, Sendable, Codable, CaseIterable {
    case generating, queued, assigned
    case inProgress = "in_progress"
    case completed, failed, cancelled
}

/// What a work item asks of its worker.
public enum WorkItemType: String, Sendable, Codable, CaseIterable {
    case execution, verification
}

/// Queue priority; `critical` goes first.
public enum Priority: String, Sendable, Codable, CaseIterable {
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
    case execution, verification
}

/// The category a worker gives when it reports a failure.
public enum FailureCategory: String, Sendable, Codable, CaseIterable {
    case executionError = "EXECUTION_ERROR"
    case timeout = "TIMEOUT"
    case resourceError = "RESOURCE_ERROR"
    case networkError = "NETWORK_ERROR"
    case validationError = "VALIDATION_ERROR"
    case internalError = "INTERNAL_ERROR"
    case unknown = "UNKNOWN"
}
