import HashTreeCollections

/// Outcomes reported by effect handlers. Each is idempotent: a handler that runs again after
/// a restart (at-least-once delivery) appends nothing new for an outcome already recorded.
extension Rules {
    func containerStarted(_ workerId: WorkerID, containerId: String) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        let containerId = try nonEmpty(containerId, "containerId")
        guard worker.containerId != containerId else { return Decision(events: []) }
        return Decision(events: [.containerStarted(.init(
            workerId: workerId, workItemId: worker.workItemId, containerId: containerId))])
    }

    func spawnFailed(_ workerId: WorkerID, reason: String) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        return Decision(
            events: [.workerSpawnFailed(.init(workerId: workerId, workItemId: worker.workItemId, reason: reason))]
                + (worker.status == .starting ? releaseEverything(held: workerId) : []))
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

    func stopFailed(_ workerId: WorkerID, reason: String) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        return Decision(events: [.containerStopFailed(.init(
            workerId: workerId, workItemId: worker.workItemId, reason: reason))])
    }
}
