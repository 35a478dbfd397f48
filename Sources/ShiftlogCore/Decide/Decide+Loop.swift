/// The orchestrator loop's decisions. The loop finds candidates on a published state, but
/// each decision is taken here, in the writer, on the state as it is when the command's turn
/// comes: a heartbeat or a container start that landed in between spares the worker.
extension Rules {
    /// Kills a worker that is still stale ("heartbeat timeout"), exactly as ``kill(_:reason:)``.
    func killIfStale(_ workerId: WorkerID) throws(LifecycleError) -> Decision {
        let worker = try activeWorker(workerId)
        guard worker.isStale(at: now, config) else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' heartbeat at \(worker.lastHeartbeat); no longer stale")
        }
        return try kill(workerId, reason: "heartbeat timeout")
    }

    /// Records a spawn failure for a worker still `starting` without a container
    /// `deadlineSeconds` after its spawn.
    func expireStart(_ workerId: WorkerID, deadlineSeconds: Int64) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        guard worker.status == .starting, worker.containerId == nil else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' is \(worker.status.rawValue) with a container; its start did not expire")
        }
        guard worker.startedAt.adding(seconds: deadlineSeconds) <= now else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' is within its \(deadlineSeconds) s start deadline")
        }
        return try spawnFailed(workerId, reason: "no container within the \(deadlineSeconds) s start deadline")
    }

    /// Marks the end grace of a worker that reported its end as elapsed, so that its
    /// container is stopped if it still runs.
    func expireEndGrace(_ workerId: WorkerID) throws(LifecycleError) -> Decision {
        let worker = try worker(workerId)
        guard let endedAt = state.awaitingExit[workerId] else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' has no container left to exit")
        }
        guard endedAt.adding(seconds: config.endGraceSeconds) <= now else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' is within its \(config.endGraceSeconds) s end grace")
        }
        return Decision(events: [.endGraceElapsed(.init(
            workerId: workerId, workItemId: worker.workItemId, graceSeconds: config.endGraceSeconds))])
    }

    /// Kills a worker that has run on its item past the item's attempt timeout, as
    /// ``kill(_:reason:)`` with the reason `attempt timeout`: the item is retried per its rules.
    func expireAttempt(_ workerId: WorkerID) throws(LifecycleError) -> Decision {
        let worker = try activeWorker(workerId)
        guard let end = state.attemptEnd(of: worker, config) else {
            throw LifecycleError(.invalidState, "worker '\(workerId)''s item has no attempt timeout")
        }
        guard end <= now else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' is within its attempt timeout (until \(end))")
        }
        return try kill(workerId, reason: "attempt timeout")
    }

    /// Ends an item whose deadline passed: `failed`, its active worker (if any) stopped and
    /// its locks released. Not while the item's cancel is under way: the cancel ends it.
    func expireDeadline(_ itemId: WorkItemID) throws(LifecycleError) -> Decision {
        let item = try item(itemId)
        guard !item.isTerminal else { throw LifecycleError(.workItemEnded, "work item '\(itemId)' is \(item.status.rawValue)") }
        guard let seconds = state.deadlineSeconds(of: itemId, config), let deadline = state.deadline(of: item, config) else {
            throw LifecycleError(.invalidState, "work item '\(itemId)' has no deadline")
        }
        guard deadline <= now else {
            throw LifecycleError(.invalidState, "work item '\(itemId)' is within its deadline (\(deadline))")
        }
        guard !state.isCancelUnderWay(itemId) else {
            throw LifecycleError(.invalidState, "work item '\(itemId)' is being cancelled")
        }
        let workerId = state.activeWorkerByItem[itemId]
        return Decision(
            events: [.workItemDeadlinePassed(.init(workItemId: itemId, workerId: workerId, deadlineSeconds: seconds))]
                + (workerId.map { releaseEverything(held: $0) } ?? []))
    }
}
