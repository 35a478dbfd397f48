import HashTreeCollections

extension Rules {
    /// Spawns a worker for a named item. The item's type decides the worker's mode (a mode
    /// given that contradicts it is refused), and an item waiting out its retry backoff is
    /// refused until `nextRetryAt`, as `next` would not hand it out either.
    func spawn(_ itemId: WorkItemID, mode: SpawnMode?) throws(LifecycleError) -> Decision {
        let item = try item(itemId)
        guard item.status == .queued || item.status == .assigned else {
            throw LifecycleError(.invalidState, "work item '\(itemId)' is \(item.status.rawValue); only queued or assigned items can be spawned")
        }
        let itemMode: SpawnMode = item.type == .verification ? .verification : .execution
        if let mode, mode != itemMode {
            throw .validation(
                "work item '\(itemId)' is a \(item.type.rawValue) item; it gets a \(itemMode.rawValue) worker, not \(mode.rawValue)")
        }
        if let retryAt = item.nextRetryAt, retryAt > now {
            throw LifecycleError(
                .invalidState,
                "work item '\(itemId)' waits to retry until \(retryAt.iso8601) (retry \(item.retryCount)); it cannot be spawned before")
        }
        if let refusal = state.capacity(at: now, config).refusal { throw refusal }
        let workerId = context.ids.next(.worker)
        return Decision(
            events: [.workerSpawned(.init(workerId: workerId, workItemId: itemId, mode: itemMode))],
            reply: .worker(workerId))
    }

    func spawnNext() throws(LifecycleError) -> Decision {
        if let refusal = state.capacity(at: now, config).refusal { throw refusal }
        guard let item = state.nextReadyItem(at: now) else { return Decision(events: [], reply: .noWorkItem) }
        return try spawn(item.id, mode: nil)
    }

    func register(_ itemId: WorkItemID) throws(LifecycleError) -> Decision {
        let item = try item(itemId)
        if let existing = state.activeWorkerByItem[itemId] {
            return Decision(
                events: [.workerRegistered(.init(workerId: existing, workItemId: itemId, created: false))],
                reply: .registered(workerId: existing, workItemId: itemId))
        }
        guard !item.isTerminal else {
            throw LifecycleError(.invalidState, "work item '\(itemId)' is \(item.status.rawValue); a worker cannot register for it")
        }
        guard state.activeWorkerCount < config.maxWorkers else {
            throw LifecycleError(.capacityExceeded, "\(state.activeWorkerCount) of \(config.maxWorkers) workers are active")
        }
        let workerId = context.ids.next(.worker)
        return Decision(
            events: [.workerRegistered(.init(workerId: workerId, workItemId: itemId, created: true))],
            reply: .registered(workerId: workerId, workItemId: itemId))
    }

    func heartbeat(_ workerId: WorkerID, _ beat: Heartbeat) throws(LifecycleError) -> Decision {
        let worker = try activeWorker(workerId)
        // Iterations never go backwards: a lower one (a late retry of an earlier request, a
        // confused client) still proves the worker alive, but keeps the iteration reached, so
        // it can neither count again against the daily budget nor dodge max iterations.
        return Decision(events: [.heartbeatRecorded(.init(
            workerId: workerId, workItemId: worker.workItemId, iteration: max(beat.iteration, worker.iteration),
            status: beat.status, tokensIn: beat.tokensIn, tokensOut: beat.tokensOut))])
    }

    func complete(_ workerId: WorkerID, _ completion: Completion) throws(LifecycleError) -> Decision {
        let worker = try activeWorker(workerId)
        let item = try item(worker.workItemId)
        var events: [Event] = [.workerCompleted(.init(
            workerId: workerId, workItemId: item.id, prUrl: completion.prUrl, prNumber: completion.prNumber,
            verificationPassed: item.type == .verification ? (completion.verificationPassed ?? false) : nil,
            metrics: completion.metrics, learnings: completion.learnings, review: completion.review))]
        switch item.type {
        case .execution:
            if completion.verificationEnabled == true, let prNumber = completion.prNumber {
                events.append(.workItemAdded(.init(
                    workItemId: context.ids.next(.workItem), repo: item.repo, branch: item.branch, spec: item.spec,
                    description: "Verify PR #\(prNumber) of \(item.id)", type: .verification,
                    priority: item.priority, maxIterations: item.maxIterations, parentWorkItemId: item.id,
                    prNumber: prNumber, source: item.source, sourceRef: item.sourceRef, metadata: [:])))
            }
        case .verification:
            if let parent = item.parentWorkItemId, state.workItems[parent] != nil {
                events.append(.verificationRecorded(.init(
                    parentWorkItemId: parent, verificationWorkItemId: item.id,
                    passed: completion.verificationPassed ?? false)))
            }
        }
        return Decision(events: events + releaseEverything(held: workerId))
    }

    func fail(_ workerId: WorkerID, _ failure: Failure) throws(LifecycleError) -> Decision {
        let message = try nonEmpty(failure.error, "error")
        let worker = try activeWorker(workerId)
        let error = Self.foldedError(message, failure)
        // As for a heartbeat, the iteration reached is kept when a lower one is reported.
        let iteration = max(failure.iteration, worker.iteration)
        var ended = worker
        ended.iteration = iteration
        return Decision(
            events: [.workerFailed(.init(
                workerId: workerId, workItemId: worker.workItemId, error: error, iteration: iteration,
                category: failure.category))]
                + followUp(of: ended, error: error, checkIterations: false, category: failure.category)
                + releaseEverything(held: workerId))
    }

    func stuck(_ workerId: WorkerID, reason: String, attempts: Int) throws(LifecycleError) -> Decision {
        let reason = try nonEmpty(reason, "reason")
        let worker = try activeWorker(workerId)
        return Decision(
            events: [.workerStuck(.init(workerId: workerId, workItemId: worker.workItemId, reason: reason, attempts: attempts))]
                + followUp(of: worker, error: "stuck after \(attempts) attempts: \(reason)", checkIterations: false)
                + releaseEverything(held: workerId))
    }

    func kill(_ workerId: WorkerID, reason: String) throws(LifecycleError) -> Decision {
        let reason = reason.trimmingWhitespace().isEmpty ? "killed" : reason.trimmingWhitespace()
        let worker = try activeWorker(workerId)
        return Decision(
            events: [.workerKilled(.init(workerId: workerId, workItemId: worker.workItemId, reason: reason))]
                + followUp(of: worker, error: reason, checkIterations: true)
                + releaseEverything(held: workerId))
    }

    /// whim stores one error string: the message, then category, context and stack.
    static func foldedError(_ message: String, _ failure: Failure) -> String {
        var text = message
        if let category = failure.category { text = "[\(category.rawValue)] " + text }
        if let context = failure.context, !context.isEmpty {
            text += " context=" + JSONValue.canonicalText(of: context)
        }
        if let stack = failure.stack, !stack.isEmpty { text += "\n" + stack }
        return text
    }
}
