import HashTreeCollections

/// Folds one recorded event into the state. Pure and total: it reads nothing but its inputs
/// (never the configuration or a clock), so replaying a log rebuilds the same state.
///
/// Events that no longer match the state (a late outcome for a worker that has moved on)
/// change only what they still can; they never trap.
public func evolve(_ state: LifecycleState, _ recorded: RecordedEvent) -> LifecycleState {
    var next = state
    next.apply(recorded)
    return next
}

extension LifecycleState {
    /// In-place form of ``evolve(_:_:)``.
    public mutating func apply(_ recorded: RecordedEvent) {
        let time = recorded.time
        retireFinished(at: time)
        lastSequence = recorded.sequence
        lastEventTime = time
        switch recorded.event {
        case .workItemAdded(let e):
            workItems[e.workItemId] = WorkItem(
                id: e.workItemId, repo: e.repo, branch: e.branch, spec: e.spec, description: e.description,
                type: e.type, priority: e.priority, status: .queued, maxIterations: e.maxIterations,
                prNumber: e.prNumber, parentWorkItemId: e.parentWorkItemId, source: e.source,
                sourceRef: e.sourceRef, createdAt: time, updatedAt: time, metadata: e.metadata,
                arrival: recorded.sequence)
            queuedItems.insert(e.workItemId)
            if let policy = e.policy, !policy.isEmpty { policies[e.workItemId] = policy }

        case .workItemAssigned(let e):
            updateItem(e.workItemId, at: time) { $0.status = .assigned }

        case .workItemCancelled(let e):
            updateItem(e.workItemId, at: time) { item in
                item.status = .cancelled
                item.nextRetryAt = nil
                if let reason = e.reason { item.error = "cancelled: \(reason)" }
            }

        case .cancelRequested(let e):
            guard workers[e.workerId]?.status.isActive == true else { break }
            cancelRequests[e.workerId] = CancelRequest(reason: e.reason, requestedAt: time, graceSeconds: e.graceSeconds)

        case .workItemRequeued(let e):
            putBack(e.workItemId, at: time)

        case .workItemRetriedNow(let e):
            guard let item = workItems[e.workItemId] else { break }
            if item.isTerminal {
                putBack(e.workItemId, at: time)
            } else {
                updateItem(e.workItemId, at: time) { $0.nextRetryAt = nil }
            }

        case .workItemPriorityChanged(let e):
            updateItem(e.workItemId, at: time) { $0.priority = e.priority }

        case .workItemDeadlinePassed(let e):
            if let workerId = e.workerId {
                finishWorker(workerId, as: .killed, error: "deadline", at: time)
            }
            updateItem(e.workItemId, at: time) { item in
                item.status = .failed
                item.nextRetryAt = nil
                item.error = "deadline: not ended within \(e.deadlineSeconds) s"
            }

        case .workItemRetryScheduled(let e):
            updateItem(e.workItemId, at: time) { item in
                item.status = .queued
                item.workerId = nil
                item.retryCount = e.retryCount
                item.nextRetryAt = e.nextRetryAt
                item.error = e.error
            }

        case .workItemFailed(let e):
            updateItem(e.workItemId, at: time) { item in
                item.status = .failed
                item.retryCount = e.retryCount
                item.nextRetryAt = nil
                item.error = e.error
            }

        case .verificationRecorded(let e):
            updateItem(e.parentWorkItemId, at: time) { parent in
                parent.metadata["verificationStatus"] = .object([
                    "passed": .bool(e.passed),
                    "verificationWorkItemId": .string(e.verificationWorkItemId),
                    "completedAt": .string(time.iso8601),
                ])
            }

        case .workerSpawned(let e):
            workers[e.workerId] = Worker(
                id: e.workerId, workItemId: e.workItemId, status: .starting, mode: e.mode,
                lastHeartbeat: time, startedAt: time)
            activeWorkerByItem[e.workItemId] = e.workerId
            rateLimit.lastSpawn = time
            updateItem(e.workItemId, at: time) { item in
                item.status = .inProgress
                item.workerId = e.workerId
            }

        case .workerRegistered(let e):
            if e.created || workers[e.workerId] == nil {
                let mode: SpawnMode = workItems[e.workItemId]?.type == .verification ? .verification : .execution
                workers[e.workerId] = Worker(
                    id: e.workerId, workItemId: e.workItemId, status: .running, mode: mode,
                    lastHeartbeat: time, startedAt: time)
            } else {
                workers[e.workerId]?.status = .running
                workers[e.workerId]?.lastHeartbeat = time
            }
            activeWorkerByItem[e.workItemId] = e.workerId
            updateItem(e.workItemId, at: time) { item in
                item.status = .inProgress
                item.workerId = e.workerId
            }

        case .heartbeatRecorded(let e):
            // Most of any log: changed in place, one lookup per table.
            let advanced = Self.modify(&workers[e.workerId]) { worker in
                defer {
                    worker.status = .running
                    worker.iteration = e.iteration
                    worker.lastHeartbeat = time
                }
                return e.iteration > worker.iteration
            }
            guard let advanced else { break }
            if advanced { rateLimit.iterationsByDay[time.utcDay, default: 0] += 1 }
            updateItem(e.workItemId, at: time) { $0.iteration = e.iteration }

        case .workerCompleted(let e):
            finishWorker(e.workerId, as: .completed, error: nil, at: time)
            leaveToExit(e.workerId, at: time)
            guard let item = workItems[e.workItemId] else { break }
            updateItem(e.workItemId, at: time) { item in
                item.status = .completed
                item.completedAt = time
                item.error = nil
                item.nextRetryAt = nil
                if item.type == .verification {
                    item.verificationPassed = e.verificationPassed
                } else {
                    item.prUrl = e.prUrl ?? item.prUrl
                    item.prNumber = e.prNumber ?? item.prNumber
                }
            }
            let iteration = workers[e.workerId]?.iteration ?? 0
            if let metrics = e.metrics {
                self.metrics.append(WorkerMetricsRecord(
                    workerId: e.workerId, workItemId: e.workItemId, iteration: iteration, metrics: metrics,
                    recordedAt: time))
            }
            for learning in e.learnings {
                learnings.append(LearningRecord(
                    workerId: e.workerId, workItemId: e.workItemId, repo: item.repo, learning: learning,
                    recordedAt: time))
            }
            retireOldLearnings()
            if let review = e.review {
                reviews.append(ReviewRecord(
                    workerId: e.workerId, workItemId: e.workItemId, prNumber: e.prNumber ?? item.prNumber,
                    review: review, recordedAt: time))
            }

        case .workerFailed(let e):
            finishWorker(e.workerId, as: .failed, error: e.error, at: time)
            workers[e.workerId]?.iteration = e.iteration
            leaveToExit(e.workerId, at: time)

        case .workerStuck(let e):
            let message = "stuck after \(e.attempts) attempts: \(e.reason)"
            finishWorker(e.workerId, as: .stuck, error: message, at: time)
            leaveToExit(e.workerId, at: time)

        case .workerKilled(let e):
            finishWorker(e.workerId, as: .killed, error: e.reason, at: time)

        case .cancelGraceExpired(let e):
            let reason = cancelRequests[e.workerId]?.reason.map { ": \($0)" } ?? ""
            finishWorker(
                e.workerId, as: .killed, error: "cancelled\(reason); not ended within the \(e.graceSeconds) s grace", at: time)

        case .containerStarted(let e):
            workers[e.workerId]?.containerId = e.containerId

        case .workerSpawnFailed(let e):
            // Roll back a spawn only while the worker is still starting: a late failure for a
            // worker that has moved on changes nothing.
            guard let worker = workers[e.workerId], worker.status == .starting else { break }
            workers[e.workerId] = nil
            cancelRequests[e.workerId] = nil
            if activeWorkerByItem[worker.workItemId] == e.workerId {
                activeWorkerByItem[worker.workItemId] = nil
            }
            if workItems[worker.workItemId]?.workerId == e.workerId {
                updateItem(worker.workItemId, at: time) { item in
                    item.status = .queued
                    item.workerId = nil
                }
            }

        case .containerStopped(let e):
            capturedLogs[e.workerId] = e.logTail
            awaitingExit[e.workerId] = nil
            if let containerId = e.containerId, workers[e.workerId]?.containerId == nil {
                workers[e.workerId]?.containerId = containerId
            }

        case .endGraceElapsed(let e):
            awaitingExit[e.workerId] = nil

        case .containerExited(let e):
            capturedLogs[e.workerId] = e.logTail
            awaitingExit[e.workerId] = nil
            if let containerId = e.containerId, workers[e.workerId]?.containerId == nil {
                workers[e.workerId]?.containerId = containerId
            }

        case .containerStopFailed, .orphanContainerRemoved, .accessRefused, .effectAbandoned:
            break

        case .workerLost(let e):
            finishWorker(e.workerId, as: .failed, error: "lost: \(e.reason)", at: time)

        case .locksAcquired(let e):
            for path in e.paths {
                locks[e.repo, default: [:]][path] = FileLock(
                    repo: e.repo, path: path, workerId: e.workerId, acquiredAt: time)
                locksByWorker[e.workerId, default: []].insert(LockKey(repo: e.repo, path: path))
            }

        case .locksReleased(let e):
            for key in e.locks where locks[key.repo]?[key.path]?.workerId == e.workerId {
                locks[key.repo]?[key.path] = nil
                if locks[key.repo]?.isEmpty == true { locks[key.repo] = nil }
                locksByWorker[e.workerId]?.remove(key)
            }
            if locksByWorker[e.workerId]?.isEmpty == true { locksByWorker[e.workerId] = nil }

        case .configurationRecorded(let e):
            configuration = e.lifecycle

        case .leaderElected(let e):
            leadership = Leadership(instance: e.instance, term: e.term, since: time)
        }
    }

    /// Changes an item in place and keeps `updatedAt` and the queued index in step.
    private mutating func updateItem(_ id: WorkItemID, at time: Timestamp, _ change: (inout WorkItem) -> Void) {
        let changed = Self.modify(&workItems[id]) { item in
            let before = item.status == .queued
            change(&item)
            item.updatedAt = time
            return (before, item.status == .queued, item.isTerminal)
        }
        guard let (before, after, terminal) = changed else { return }
        if terminal { retirement.items.append(.init(time: time, id: id)) }
        guard before != after else { return }
        if after { queuedItems.insert(id) } else { queuedItems.remove(id) }
    }

    /// Runs `body` on the value in place, if there is one: through a dictionary's subscript,
    /// one lookup and no copy of the value.
    @inline(__always)
    private static func modify<Value, Result>(_ value: inout Value?, _ body: (inout Value) -> Result) -> Result? {
        guard value != nil else { return nil }
        return body(&value!)
    }

    /// Puts a finished item back in the queue by hand (a requeue, or a retry of a failed or
    /// cancelled item) with its retries reset; its deadline counts from now.
    private mutating func putBack(_ id: WorkItemID, at time: Timestamp) {
        guard workItems[id] != nil else { return }
        updateItem(id, at: time) { item in
            item.status = .queued
            item.workerId = nil
            item.retryCount = 0
            item.nextRetryAt = nil
            item.completedAt = nil
            item.error = nil
        }
        deadlineStarts[id] = time
    }

    /// Marks a worker that reported its end as having its container left to exit on its own.
    private mutating func leaveToExit(_ id: WorkerID, at time: Timestamp) {
        guard workers[id] != nil, capturedLogs[id] == nil else { return }
        awaitingExit[id] = time
    }

    /// Moves a worker to a terminal status and frees its slot.
    private mutating func finishWorker(_ id: WorkerID, as status: WorkerStatus, error: String?, at time: Timestamp) {
        guard var worker = workers[id] else { return }
        worker.status = status
        worker.completedAt = time
        worker.error = error
        workers[id] = worker
        retirement.workers.append(.init(time: time, id: id))
        cancelRequests[id] = nil
        if activeWorkerByItem[worker.workItemId] == id {
            activeWorkerByItem[worker.workItemId] = nil
        }
    }
}
