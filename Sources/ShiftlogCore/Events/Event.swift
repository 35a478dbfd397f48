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
    /// An item ended `cancelled`.
    case workItemCancelled(WorkItemCancelled)
    /// A running item's worker was asked to end, for a cancel.
    case cancelRequested(CancelRequested)
    /// A finished item was put back in the queue by hand.
    case workItemRequeued(WorkItemRequeued)
    /// An item goes back to the queue after its worker ended without success.
    case workItemRetryScheduled(WorkItemRetryScheduled)
    /// An item failed for good.
    case workItemFailed(WorkItemFailed)
    /// A verification item's verdict was recorded on its parent.
    case verificationRecorded(VerificationRecorded)
    /// An operator made a failed, cancelled or waiting item run again now.
    case workItemRetriedNow(WorkItemRetriedNow)
    /// An operator changed a waiting item's priority.
    case workItemPriorityChanged(WorkItemPriorityChanged)
    /// An item's deadline passed before it ended; it failed.
    case workItemDeadlinePassed(WorkItemDeadlinePassed)
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
    /// A worker asked to end by a cancel did not end within its grace, and was killed.
    case cancelGraceExpired(CancelGraceExpired)
    // Container effects' outcomes
    /// The runtime started (or adopted) a worker's container.
    case containerStarted(ContainerStarted)
    /// The runtime could not start a worker's container.
    case workerSpawnFailed(WorkerSpawnFailed)
    /// An ended worker's container was stopped.
    case containerStopped(ContainerStopped)
    /// The runtime could not stop an ended worker's container.
    case containerStopFailed(ContainerStopFailed)
    /// The end grace of a worker that reported its end elapsed: its container is stopped if
    /// it still runs.
    case endGraceElapsed(EndGraceElapsed)
    /// The container of a worker that reported its end had exited by itself.
    case containerExited(ContainerExited)
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
        case .cancelRequested: .cancelRequested
        case .workItemRequeued: .workItemRequeued
        case .workItemRetryScheduled: .workItemRetryScheduled
        case .workItemFailed: .workItemFailed
        case .verificationRecorded: .verificationRecorded
        case .workItemRetriedNow: .workItemRetriedNow
        case .workItemPriorityChanged: .workItemPriorityChanged
        case .workItemDeadlinePassed: .workItemDeadlinePassed
        case .workerSpawned: .workerSpawned
        case .workerRegistered: .workerRegistered
        case .heartbeatRecorded: .heartbeatRecorded
        case .workerCompleted: .workerCompleted
        case .workerFailed: .workerFailed
        case .workerStuck: .workerStuck
        case .workerKilled: .workerKilled
        case .cancelGraceExpired: .cancelGraceExpired
        case .containerStarted: .containerStarted
        case .workerSpawnFailed: .workerSpawnFailed
        case .containerStopped: .containerStopped
        case .containerStopFailed: .containerStopFailed
        case .endGraceElapsed: .endGraceElapsed
        case .containerExited: .containerExited
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
        case .workItemAdded, .workItemAssigned, .workItemRequeued, .verificationRecorded, .configurationRecorded, .orphanContainerRemoved, .effectAbandoned, .leaderElected,
            .workItemRetriedNow, .workItemPriorityChanged:
            nil
        case .workItemDeadlinePassed(let e): e.workerId
        case .accessRefused(let e): e.targetWorkerId
        case .workItemCancelled(let e): e.workerId
        case .cancelRequested(let e): e.workerId
        case .cancelGraceExpired(let e): e.workerId
        case .endGraceElapsed(let e): e.workerId
        case .containerExited(let e): e.workerId
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

    /// The worker this event ends (completed, failed, stuck, killed, stopped after a cancel's
    /// grace, or lost).
    public var endedWorkerId: WorkerID? {
        switch self {
        case .workerCompleted(let e): e.workerId
        case .workerFailed(let e): e.workerId
        case .workerStuck(let e): e.workerId
        case .workerKilled(let e): e.workerId
        case .cancelGraceExpired(let e): e.workerId
        case .workerLost(let e): e.workerId
        case .workItemDeadlinePassed(let e): e.workerId
        default: nil
        }
    }

    /// The worker whose container is to be stopped now, after this event: one the
    /// orchestrator ended (killed, stopped after a cancel's grace, lost), or one that reported
    /// its end and whose end grace has elapsed. A worker that reports its own end (complete,
    /// fail, stuck) is left to exit until then.
    public var stoppedWorkerId: WorkerID? {
        switch self {
        case .workerKilled(let e): e.workerId
        case .cancelGraceExpired(let e): e.workerId
        case .workerLost(let e): e.workerId
        case .endGraceElapsed(let e): e.workerId
        case .workItemDeadlinePassed(let e): e.workerId
        default: nil
        }
    }

    /// The work items this event is about.
    public var workItemIds: [WorkItemID] {
        switch self {
        case .workItemAdded(let e): [e.workItemId]
        case .workItemRetriedNow(let e): [e.workItemId]
        case .workItemPriorityChanged(let e): [e.workItemId]
        case .workItemDeadlinePassed(let e): [e.workItemId]
        case .workItemAssigned(let e): [e.workItemId]
        case .workItemCancelled(let e): [e.workItemId]
        case .cancelRequested(let e): [e.workItemId]
        case .cancelGraceExpired(let e): [e.workItemId]
        case .endGraceElapsed(let e): [e.workItemId]
        case .containerExited(let e): [e.workItemId]
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
    /// The types of an operator's and the loop's control of an item, each named as its
    /// ``Event`` case.
    case workItemRetriedNow, workItemPriorityChanged, workItemDeadlinePassed
    /// The types of worker events, each named as its ``Event`` case.
    case workerSpawned, workerRegistered, heartbeatRecorded, workerCompleted, workerFailed
    /// The types of worker events, each named as its ``Event`` case.
    case workerStuck, workerKilled
    /// The types of a running item's cancel, each named as its ``Event`` case.
    case cancelRequested, cancelGraceExpired
    /// The types of a reported end's grace and its outcome, each named as its ``Event`` case.
    case endGraceElapsed, containerExited
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

    /// The payload schema version this build writes. A reader refuses a higher one and reads
    /// every lower one in that version's layout: `workItemAdded` 2 added the item's `policy`;
    /// `workItemCancelled` 2 added `workerId` and `reason`; `configurationRecorded` 2 added the
    /// cancel and end graces, 3 the retry jitter, non-retryable categories and time limits.
    public var schemaVersion: UInt16 {
        switch self {
        case .workItemAdded, .workItemCancelled: 2
        case .configurationRecorded: 3
        default: 1
        }
    }
}
