import HashTreeCollections

/// Decides what a command means in the current state: the events to append, or why it is
/// refused. Pure: time and new ids come from `context`, so the same commands on the same
/// state give the same events. A refused command yields no events at all.
public func decide(_ command: Command, state: LifecycleState, context: DecisionContext) throws(LifecycleError)
    -> Decision
{
    try command.checkNumericBounds()
    let rules = Rules(state: state, context: context)
    switch command {
    case .addWorkItem(let item): return try rules.add(item)
    case .assignNext: return rules.assignNext()
    case .cancelWorkItem(let id, let reason): return try rules.cancel(id, reason: reason)
    case .cancelWorkItems(let filter, let reason): return try rules.cancelAll(filter, reason: reason)
    case .requeueWorkItem(let id): return try rules.requeue(id)
    case .retryWorkItem(let id, let requestedBy): return try rules.retryNow(id, requestedBy: requestedBy)
    case .changePriority(let id, let priority, let requestedBy):
        return try rules.changePriority(id, to: priority, requestedBy: requestedBy)
    case .spawn(let itemId, let mode): return try rules.spawn(itemId, mode: mode)
    case .spawnNext: return try rules.spawnNext()
    case .register(let itemId): return try rules.register(itemId)
    case .heartbeat(let workerId, let beat): return try rules.heartbeat(workerId, beat)
    case .complete(let workerId, let completion): return try rules.complete(workerId, completion)
    case .fail(let workerId, let failure): return try rules.fail(workerId, failure)
    case .stuck(let workerId, let reason, let attempts): return try rules.stuck(workerId, reason: reason, attempts: attempts)
    case .kill(let workerId, let reason): return try rules.kill(workerId, reason: reason)
    case .killIfStale(let workerId): return try rules.killIfStale(workerId)
    case .expireStart(let workerId, let deadline): return try rules.expireStart(workerId, deadlineSeconds: deadline)
    case .expireCancelGrace(let workerId): return try rules.expireCancelGrace(workerId)
    case .expireEndGrace(let workerId): return try rules.expireEndGrace(workerId)
    case .expireAttempt(let workerId): return try rules.expireAttempt(workerId)
    case .expireDeadline(let itemId): return try rules.expireDeadline(itemId)
    case .acquireLocks(let workerId, let repo, let files): return try rules.acquire(workerId, repo: repo, files: files)
    case .releaseLocks(let workerId, let repo, let files): return try rules.release(workerId, repo: repo, files: files)
    case .releaseAllLocks(let workerId): return try rules.releaseAll(workerId)
    case .recordContainerStarted(let workerId, let containerId, let environment):
        return try rules.containerStarted(workerId, containerId: containerId, environment: environment)
    case .recordSpawnFailure(let workerId, let reason): return try rules.spawnFailed(workerId, reason: reason)
    case .recordContainerStopped(let workerId, let containerId, let found, let exitCode, let logTail):
        return try rules.containerStopped(
            workerId, containerId: containerId, found: found, exitCode: exitCode, logTail: logTail)
    case .recordStopFailure(let workerId, let reason): return try rules.stopFailed(workerId, reason: reason)
    case .recordContainerExited(let workerId, let containerId, let exitCode, let logTail):
        return try rules.containerExited(workerId, containerId: containerId, exitCode: exitCode, logTail: logTail)
    case .recordWorkerLost(let workerId, let reason): return try rules.lost(workerId, reason: reason)
    case .recordOrphanRemoved(let orphan): return try rules.orphanRemoved(orphan)
    case .recordAccessRefused(let refusal): return Decision(events: [.accessRefused(refusal)])
    case .electLeader(let instance):
        let term = (state.leadership?.term ?? 0) + 1
        return Decision(events: [.leaderElected(LeaderElected(instance: try rules.nonEmpty(instance, "instance"), term: term))])
    case .recordEffectAbandoned(let abandoned):
        _ = try rules.nonEmpty(abandoned.handler, "handler")
        return Decision(events: [.effectAbandoned(abandoned)])
    case .recordConfiguration:
        try context.configuration.checkNumericBounds()
        guard state.configuration != context.configuration else { return Decision(events: []) }
        return Decision(events: [.configurationRecorded(ConfigurationRecorded(lifecycle: context.configuration))])
    }
}

/// The lifecycle rules, grouped by area in the `Decide+*.swift` files.
struct Rules {
    let state: LifecycleState
    let context: DecisionContext

    var config: LifecycleConfiguration { context.configuration }
    var now: Timestamp { context.now }

    func item(_ id: WorkItemID) throws(LifecycleError) -> WorkItem {
        guard let item = state.workItems[id] else { throw .unknownItem(id) }
        return item
    }

    func worker(_ id: WorkerID) throws(LifecycleError) -> Worker {
        guard let worker = state.workers[id] else { throw .unknownWorker(id) }
        return worker
    }

    /// The worker, which must be starting or running.
    func activeWorker(_ id: WorkerID) throws(LifecycleError) -> Worker {
        let worker = try worker(id)
        guard worker.status.isActive else {
            throw LifecycleError(.workerNotActive, "worker '\(id)' is \(worker.status.rawValue), not active")
        }
        return worker
    }

    func nonEmpty(_ value: String, _ field: String) throws(LifecycleError) -> String {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .validation("'\(field)' must not be empty") }
        return trimmed
    }
}
