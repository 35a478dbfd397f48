/// The runtime started (or adopted) the worker's container.
public struct ContainerStarted: Sendable, Hashable, Codable {
    /// The worker whose container started.
    public var workerId: WorkerID
    /// The worker's item.
    public var workItemId: WorkItemID
    /// The runtime's id of the container (Docker's container id; `pid-N` for a local
    /// process), kept as ``Worker/containerId``.
    public var containerId: String
    /// The names of the environment variables the container was given, sorted. Never their
    /// values: those may be secrets. Absent in logs written before it was recorded.
    public var environment: [String]?
}

/// The runtime could not start the worker's container. A still-`starting` worker is removed
/// and its item goes back to `queued` with no worker, its retry count unchanged.
public struct WorkerSpawnFailed: Sendable, Hashable, Codable {
    /// The worker whose container could not be started.
    public var workerId: WorkerID
    /// The worker's item, back to `queued` if the worker was still starting.
    public var workItemId: WorkItemID
    /// The runtime's error, or `no container within the N s start deadline` when the loop
    /// gave the start up (``Command/expireStart(workerId:deadlineSeconds:)``).
    public var reason: String
}

/// The worker's container was stopped after the worker ended, with its last log lines.
/// `found` is false when the container was already gone.
public struct ContainerStopped: Sendable, Hashable, Codable {
    /// The ended worker whose container was stopped.
    public var workerId: WorkerID
    /// The worker's item.
    public var workItemId: WorkItemID
    /// The stopped container's id, or the worker's known one; `nil` when neither is known.
    public var containerId: String?
    /// Whether the runtime found the container to stop; `false` when it was already gone.
    public var found: Bool
    /// The container's exit code, when the runtime knows it; `nil` when it was not found.
    public var exitCode: Int?
    /// The container's last log lines, oldest first (up to the engine's
    /// `capturedLogLines`); empty when it was not found. Kept in
    /// ``LifecycleState/capturedLogs``.
    public var logTail: [String]
}

/// The runtime could not stop the worker's container.
public struct ContainerStopFailed: Sendable, Hashable, Codable {
    /// The ended worker whose container could not be stopped.
    public var workerId: WorkerID
    /// The worker's item.
    public var workItemId: WorkItemID
    /// The runtime's error.
    public var reason: String
}

/// Reconciliation found that an active worker's container is gone or has exited on its own.
/// The worker ends as `failed` and its item follows the retry rules, as after a kill.
public struct WorkerLost: Sendable, Hashable, Codable {
    /// The active worker whose container was gone; it ends as `failed`.
    public var workerId: WorkerID
    /// The worker's item, which follows the retry rules.
    public var workItemId: WorkItemID
    /// The worker's container, if one had been recorded as started.
    public var containerId: String?
    /// What reconciliation saw, e.g. "container exited with code 1".
    public var reason: String
}

/// Reconciliation stopped and removed a container labelled as this instance's that no active
/// worker owns (left by a crash, or started after its spawn was given up). Changes no
/// projection: the record is the story.
public struct OrphanContainerRemoved: Sendable, Hashable, Codable {
    /// The removed container's name (a worker id, for a container Shiftlog started).
    public var containerName: String
    /// The removed container's runtime id.
    public var containerId: String
    /// The worker its labels name, if any; it may be unknown to this log.
    public var labelledWorkerId: WorkerID?
    /// The work item its labels name, if any; it may be unknown to this log.
    public var labelledWorkItemId: WorkItemID?
    /// The container's exit code when it was found, if it had exited.
    public var exitCode: Int?

    /// An orphan's removal, as reconciliation records it.
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

/// `graceSeconds` have passed since the worker reported its end (complete, fail or stuck)
/// while its container was left to exit on its own: the container handler now stops it if it
/// still runs, and records which happened (``ContainerExited`` or ``ContainerStopped``).
public struct EndGraceElapsed: Sendable, Hashable, Codable {
    /// The ended worker.
    public var workerId: WorkerID
    /// The worker's item.
    public var workItemId: WorkItemID
    /// The grace its container was left: ``LifecycleConfiguration/endGraceSeconds``.
    public var graceSeconds: Int64
}

/// The container of a worker that reported its end had exited by itself when its end grace
/// elapsed; its last log lines were captured (kept as ``ContainerStopped``'s are).
public struct ContainerExited: Sendable, Hashable, Codable {
    /// The ended worker.
    public var workerId: WorkerID
    /// The worker's item.
    public var workItemId: WorkItemID
    /// The container's id, or the worker's known one.
    public var containerId: String?
    /// The code it exited with, when the runtime knows it.
    public var exitCode: Int?
    /// Its last log lines, oldest first (up to the engine's `capturedLogLines`).
    public var logTail: [String]
}
