/// The runtime started (or adopted) the worker's container.
public struct ContainerStarted: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var containerId: String
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
