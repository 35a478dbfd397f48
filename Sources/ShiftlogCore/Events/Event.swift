/// A fact that happened, in the past tense. The log is a sequence of these; ``evolve(_:_:)``
/// folds them into ``LifecycleState``.
///
/// Each case carries a payload struct of its own; ``EventCodec`` stores the payload in its
/// binary layout (or reads the JSON of older logs) under the case's ``type`` name and
/// ``EventType/schemaVersion``.
public enum Event: Sendable, Hashable {
    // Work items
    // The two largest payloads are boxed, so that an event, and an array of them, stays the
    // size of a heartbeat: folding copies every event it reads.
    /// A work item entered the queue.
    indirect case workItemAdded(WorkItemAdded)
    /// `queue.next` handed an item out.
    case workItemAssigned(WorkItemAssigned)
    /// A queued or assigned item was cancelled.
    case workItemCancelled(WorkItemCancelled)
    /// A finished item was put back in the queue by hand.
    case workItemRequeued(WorkItemRequeued)
    /// An item goes back to the queue after its worker ended without success.
    case workItemRetryScheduled(WorkItemRetryScheduled)
    /// An item failed for good.
    case workItemFailed(WorkItemFailed)
    /// A verification item's verdict was recorded on its parent.
    case verificationRecorded(VerificationRecorded)
    // Workers
    /// A worker was created for an item; its container is to be started.
    case workerSpawned(WorkerSpawned)
    /// A worker announced itself.
    case workerRegistered(WorkerRegistered)
    /// A worker reported progress.
    case heartbeatRecorded(HeartbeatRecorded)
    /// A worker finished its item.
    indirect case workerCompleted(WorkerCompleted)
    /// A worker reported a failure.
    case workerFailed(WorkerFailed)
    /// A worker gave up.
    case workerStuck(WorkerStuck)
    /// An active worker was killed.
    case workerKilled(WorkerKilled)
    // Container effects' outcomes
    /// The runtime started (or adopted) a worker's container.
    case containerStarted(ContainerStarted)
    /// The runtime could not start a worker's container.
    case workerSpawnFailed(WorkerSpawnFailed)
    /// An ended worker's container was stopped.
    case containerStopped(ContainerStopped)
    /// The runtime could not stop an ended worker's container.
    case containerStopFailed(ContainerStopFailed)
    // Reconciliation's findings
    /// Reconciliation found an active worker's container gone or exited.
    case workerLost(WorkerLost)
    /// Reconciliation removed a container no active worker owns.
    case orphanContainerRemoved(OrphanContainerRemoved)
    // Effect handlers
    /// An effect handler gave up the effect of an event.
    case effectAbandoned(EffectAbandoned)
    // File locks
    /// A worker took file locks.
    case locksAcquired(LocksAcquired)
    /// A worker's file locks were released.
    case locksReleased(LocksReleased)
    // The engine
    /// An engine opened the log with rules that differ from the last recorded ones.
    case configurationRecorded(ConfigurationRecorded)
    // The service
    /// The service refused a request for want of a valid credential.
    case accessRefused(AccessRefused)
    // Several instances on a shared log
    /// An instance became the leader of a shared log.
    case leaderElected(LeaderElected)

    /// The stored type name, e.g. `workerSpawned`.
    public var type: EventType {
        switch self {
        case .workItemAdded: .workItemAdded
        case .workItemAssigned: .workItemAssigned
        case .workItemCancelled: .workItemCancelled
        case .workItemRequeued: .workItemRequeued
        case .workItemRetryScheduled: .workItemRetryScheduled
        case .workItemFailed: .workItemFailed
        case .verificationRecorded: .verificationRecorded
        case .workerSpawned: .workerSpawned
        case .workerRegistered: .workerRegistered
        case .heartbeatRecorded: .heartbeatRecorded
        case .workerCompleted: .workerCompleted
        case .workerFailed: .workerFailed
        case .workerStuck: .workerStuck
        case .workerKilled: .workerKilled
        case .containerStarted: .containerStarted
        case .workerSpawnFailed: .workerSpawnFailed
        case .containerStopped: .containerStopped
        case .containerStopFailed: .containerStopFailed
        case .workerLost: .workerLost
        case .orphanContainerRemoved: .orphanContainerRemoved
        case .effectAbandoned: .effectAbandoned
        case .locksAcquired: .locksAcquired
        case .locksReleased: .locksReleased
        case .configurationRecorded: .configurationRecorded
        case .accessRefused: .accessRefused
        case .leaderElected: .leaderElected
        }
    }

    /// The worker this event is about, if any.
    public var workerId: WorkerID? {
        switch self {
        case .workItemAdded, .workItemAssigned, .workItemCancelled, .workItemRequeued,
            .verificationRecorded, .configurationRecorded, .orphanContainerRemoved, .effectAbandoned, .leaderElected:
            nil
        case .accessRefused(let e): e.targetWorkerId
        case .workItemRetryScheduled(let e): e.workerId
        case .workItemFailed(let e): e.workerId
        case .workerSpawned(let e): e.workerId
        case .workerRegistered(let e): e.workerId
        case .heartbeatRecorded(let e): e.workerId
        case .workerCompleted(let e): e.workerId
        case .workerFailed(let e): e.workerId
        case .workerStuck(let e): e.workerId
        case .workerKilled(let e): e.workerId
        case .containerStarted(let e): e.workerId
        case .workerSpawnFailed(let e): e.workerId
        case .containerStopped(let e): e.workerId
        case .containerStopFailed(let e): e.workerId
        case .workerLost(let e): e.workerId
        case .locksAcquired(let e): e.workerId
        case .locksReleased(let e): e.workerId
        }
    }

    /// The worker this event ends (completed, failed, stuck, killed or lost): the events
    /// after which its container is stopped.
    public var endedWorkerId: WorkerID? {
        switch self {
        case .workerCompleted(let e): e.workerId
        case .workerFailed(let e): e.workerId
        case .workerStuck(let e): e.workerId
        case .workerKilled(let e): e.workerId
        case .workerLost(let e): e.workerId
        default: nil
        }
    }

    /// The work items this event is about.
    public var workItemIds: [WorkItemID] {
        switch self {
        case .workItemAdded(let e): [e.workItemId]
        case .workItemAssigned(let e): [e.workItemId]
        case .workItemCancelled(let e): [e.workItemId]
        case .workItemRequeued(let e): [e.workItemId]
        case .workItemRetryScheduled(let e): [e.workItemId]
        case .workItemFailed(let e): [e.workItemId]
        case .verificationRecorded(let e): [e.parentWorkItemId, e.verificationWorkItemId]
        case .workerSpawned(let e): [e.workItemId]
        case .workerRegistered(let e): [e.workItemId]
        case .heartbeatRecorded(let e): [e.workItemId]
        case .workerCompleted(let e): [e.workItemId]
        case .workerFailed(let e): [e.workItemId]
        case .workerStuck(let e): [e.workItemId]
        case .workerKilled(let e): [e.workItemId]
        case .containerStarted(let e): [e.workItemId]
        case .workerSpawnFailed(let e): [e.workItemId]
        case .containerStopped(let e): [e.workItemId]
        case .containerStopFailed(let e): [e.workItemId]
        case .workerLost(let e): [e.workItemId]
        case .locksAcquired, .locksReleased, .configurationRecorded, .orphanContainerRemoved, .accessRefused, .effectAbandoned,
            .leaderElected:
            []
        }
    }
}

/// The name an event is stored under. The raw value is the on-disk name: never rename one.
public enum EventType: String, Sendable, Codable, CaseIterable {
    /// The types of work-item events, each named as its ``Event`` case.
    case workItemAdded, workItemAssigned, workItemCancelled, workItemRequeued
    /// The types of work-item events, each named as its ``Event`` case.
    case workItemRetryScheduled, workItemFailed, verificationRecorded
    /// The types of worker events, each named as its ``Event`` case.
    case workerSpawned, workerRegistered, heartbeatRecorded, workerCompleted, workerFailed
    /// The types of worker events, each named as its ``Event`` case.
    case workerStuck, workerKilled
    /// The types of container effects' outcomes, each named as its ``Event`` case.
    case containerStarted, workerSpawnFailed, containerStopped, containerStopFailed
    /// The types of reconciliation's findings, each named as its ``Event`` case.
    case workerLost, orphanContainerRemoved
    /// The type of ``Event/effectAbandoned(_:)``.
    case effectAbandoned
    /// The types of file-lock events, each named as its ``Event`` case.
    case locksAcquired, locksReleased
    /// The type of ``Event/configurationRecorded(_:)``.
    case configurationRecorded
    /// The type of ``Event/accessRefused(_:)``.
    case accessRefused
    /// The type of ``Event/leaderElected(_:)``.
    case leaderElected

    /// The payload schema version this build writes. A reader refuses a higher one.
    public var schemaVersion: UInt16 { 1 }
}
