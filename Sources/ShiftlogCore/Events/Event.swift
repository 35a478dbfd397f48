/// A fact that happened, in the past tense. The log is a sequence of these; ``evolve(_:_:)``
/// folds them into ``LifecycleState``.
///
/// Each case carries a payload struct of its own; ``EventCodec`` stores the payload in its
/// binary layout (or reads the JSON of older logs) under the case's ``type`` name and
/// ``schemaVersion``.
public enum Event: Sendable, Hashable {
    // Work items
    // The two largest payloads are boxed, so that an event, and an array of them, stays the
    // size of a heartbeat: folding copies every event it reads.
    indirect case workItemAdded(WorkItemAdded)
    case workItemAssigned(WorkItemAssigned)
    case workItemCancelled(WorkItemCancelled)
    case workItemRequeued(WorkItemRequeued)
    case workItemRetryScheduled(WorkItemRetryScheduled)
    case workItemFailed(WorkItemFailed)
    case verificationRecorded(VerificationRecorded)
    // Workers
    case workerSpawned(WorkerSpawned)
    case workerRegistered(WorkerRegistered)
    case heartbeatRecorded(HeartbeatRecorded)
    indirect case workerCompleted(WorkerCompleted)
    case workerFailed(WorkerFailed)
    case workerStuck(WorkerStuck)
    case workerKilled(WorkerKilled)
    // Container effects' outcomes
    case containerStarted(ContainerStarted)
    case workerSpawnFailed(WorkerSpawnFailed)
    case containerStopped(ContainerStopped)
    case containerStopFailed(ContainerStopFailed)
    // Reconciliation's findings
    case workerLost(WorkerLost)
    case orphanContainerRemoved(OrphanContainerRemoved)
    // Effect handlers
    case effectAbandoned(EffectAbandoned)
    // File locks
    case locksAcquired(LocksAcquired)
    case locksReleased(LocksReleased)
    // The engine
    case configurationRecorded(ConfigurationRecorded)
    // The service
    case accessRefused(AccessRefused)
    // Several instances on a shared log
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
    case workItemAdded, workItemAssigned, workItemCancelled, workItemRequeued
    case workItemRetryScheduled, workItemFailed, verificationRecorded
    case workerSpawned, workerRegistered, heartbeatRecorded, workerCompleted, workerFailed
    case workerStuck, workerKilled
    case containerStarted, workerSpawnFailed, containerStopped, containerStopFailed
    case workerLost, orphanContainerRemoved
    case effectAbandoned
    case locksAcquired, locksReleased
    case configurationRecorded
    case accessRefused
    case leaderElected

    /// The payload schema version this build writes. A reader refuses a higher one.
    public var schemaVersion: UInt16 { 1 }
}
