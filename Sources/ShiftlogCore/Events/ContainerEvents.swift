/// The runtime started (or adopted) the worker's container.
public struct ContainerStarted: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var containerId: String
    /// The names of the environment variables the container was given, sorted. Never their
    /// values: those may be secrets. Absent in logs written before it was recorded.
    public var environment: [String]?
}

/// The runtime could not start the worker's container. A still-`starting` worker is removed
/// and its item goes back to `queued` with no worker, its retry count unchanged.
public struct WorkerSpawnFailed: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var reason: String
}

/// The worker's container was stopped after the worker ended, with its last log lines.
/// `found` is false when the container was already gone.
public struct ContainerStopped: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var containerId: String?
    public var found: Bool
    public var exitCode: Int?
    public var logTail: [String]
}

/// The runtime could not stop the worker's container.
public struct ContainerStopFailed: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var reason: String
}

/// Reconciliation found that an active worker's container is gone or has exited on its own.
/// The worker ends as `failed` and its item follows the retry rules, as after a kill.
public struct WorkerLost: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var containerId: String?
    /// What reconciliation saw, e.g. "container exited with code 1".
    public var reason: String
}

/// Reconciliation stopped and removed a container labelled as this instance's that no active
/// worker owns (left by a crash, or started after its spawn was given up). Changes no
/// projection: the record is the story.
public struct OrphanContainerRemoved: Sendable, Hashable, Codable {
    public var containerName: String
    public var containerId: String
    /// The worker and item its labels name, if any; they may be unknown to this log.
    public var labelledWorkerId: WorkerID?
    public var labelledWorkItemId: WorkItemID?
    public var exitCode: Int?

    public init(
        containerName: String, containerId: String, labelledWorkerId: WorkerID?, labelledWorkItemId: WorkItemID?,
        exitCode: Int?
    ) {
        self.containerName = containerName
        self.containerId = containerId
        self.labelledWorkerId = labelledWorkerId
        self.labelledWorkItemId = labelledWorkItemId
        self.exitCode = exitCode
    }
}
