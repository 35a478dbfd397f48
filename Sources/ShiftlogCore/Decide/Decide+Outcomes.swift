import HashTreeCollections

/// Outcomes reported by effect handlers. Each is idempotent: a handler that runs again after
/// a restart (at-least-once delivery) appends nothing new for an outcome already recorded.
extension Rules {
    func containerStarted(_ workerId: WorkerID, containerId: String, environment: [String]?) throws(LifecycleError)
        -> Decision
    {
        let worker = try worker(workerId)
        let containerId = try nonEmpty(containerId, "containerId")
        guard worker.containerId != containerId else { return Decision(events: []) }
        return Decision(events: [.containerStarted(.init(
            workerId: workerId, workItemId: worker.workItemId, containerId: containerId,
            environment: environment?.sorted()))])
    }

    func spawnFailed(_ workerId: WorkerID, reason: String) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        // A start that fails while the item's cancel is under way ends the item cancelled
        // rather than back in the queue.
        let cancelled: [Event] = worker.status == .starting
            ? state.cancelRequests[workerId].map { [.workItemCancelled(.init(workItemId: worker.workItemId, workerId: workerId, reason: $0.reason))] } ?? []
            : []
        return Decision(
            events: [.workerSpawnFailed(.init(workerId: workerId, workItemId: worker.workItemId, reason: reason))]
                + cancelled + (worker.status == .starting ? releaseEverything(held: workerId) : []))
    }

    func containerStopped(
        _ workerId: WorkerID, containerId: String?, found: Bool, exitCode: Int?, logTail: [String]
    ) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        guard !worker.status.isActive else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' is still \(worker.status.rawValue)")
        }
        guard state.capturedLogs[workerId] == nil else { return Decision(events: []) }
        return Decision(events: [.containerStopped(.init(
            workerId: workerId, workItemId: worker.workItemId, containerId: containerId, found: found,
            exitCode: exitCode, logTail: logTail))])
    }

    /// The container of a worker that reported its end had exited by itself: recorded once,
    /// like a stop.
    func containerExited(_ workerId: WorkerID, containerId: String?, exitCode: Int?, logTail: [String]) throws(LifecycleError)
        -> Decision
    {
        let worker = try worker(workerId)
        guard !worker.status.isActive else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' is still \(worker.status.rawValue)")
        }
        guard state.capturedLogs[workerId] == nil else { return Decision(events: []) }
        return Decision(events: [.containerExited(.init(
            workerId: workerId, workItemId: worker.workItemId, containerId: containerId, exitCode: exitCode, logTail: logTail))])
    }

    func stopFailed(_ workerId: WorkerID, reason: String) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        return Decision(events: [.containerStopFailed(.init(
            workerId: workerId, workItemId: worker.workItemId, reason: reason))])
    }

    /// Reconciliation's finding that an active worker's container is gone: like a kill, the
    /// item follows the retry rules and the worker's locks are released.
    func lost(_ workerId: WorkerID, reason: String) throws(LifecycleError) -> Decision {
        let reason = try nonEmpty(reason, "reason")
        let worker = try activeWorker(workerId)
        return Decision(
            events: [.workerLost(.init(
                workerId: workerId, workItemId: worker.workItemId, containerId: worker.containerId, reason: reason))]
                + followUp(of: worker, error: "lost: \(reason)", checkIterations: true)
                + releaseEverything(held: workerId))
    }

    /// An orphan container was removed. Refused while its labelled worker is active: that
    /// container is not an orphan.
    func orphanRemoved(_ orphan: OrphanContainerRemoved) throws(LifecycleError) -> Decision {
        _ = try nonEmpty(orphan.containerName, "containerName")
        if let workerId = orphan.labelledWorkerId, let worker = state.workers[workerId], worker.status.isActive {
            throw LifecycleError(.invalidState, "container '\(orphan.containerName)' belongs to active worker '\(workerId)'")
        }
        return Decision(events: [.orphanContainerRemoved(orphan)])
    }
}
