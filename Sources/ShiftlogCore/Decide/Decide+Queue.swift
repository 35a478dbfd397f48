import HashTreeCollections

extension Rules {
    func add(_ new: NewWorkItem) throws(LifecycleError) -> Decision {
        let repo = try nonEmpty(new.repo, "repo")
        let maxIterations = new.maxIterations ?? config.defaultMaxIterations
        // A command's own value was checked with the others; the default is the configuration's.
        try NumericBounds.check(maxIterations, in: 1...NumericBounds.iteration.upperBound, "maxIterations")
        var metadata = new.metadata
        if let key = new.idempotencyKey {
            if let earlier = state.workItem(idempotencyKey: key) { return Decision(events: [], reply: .workItem(earlier.id)) }
            metadata[NewWorkItem.idempotencyKeyField] = .string(key)
        }
        let id = context.ids.next(.workItem)
        let added = WorkItemAdded(
            workItemId: id, repo: repo, branch: new.branch, spec: new.spec, description: new.description,
            type: new.type, priority: new.priority, maxIterations: maxIterations, parentWorkItemId: nil,
            prNumber: nil, source: new.source, sourceRef: new.sourceRef, metadata: metadata)
        return Decision(events: [.workItemAdded(added)], reply: .workItem(id))
    }

    func assignNext() -> Decision {
        guard let item = state.nextReadyItem(at: now) else { return Decision(events: [], reply: .noWorkItem) }
        return Decision(events: [.workItemAssigned(.init(workItemId: item.id))], reply: .workItem(item.id))
    }

    func requeue(_ id: WorkItemID) throws(LifecycleError) -> Decision {
        let item = try item(id)
        guard item.isTerminal else {
            throw LifecycleError(.invalidState, "work item '\(id)' is \(item.status.rawValue); only failed, completed or cancelled items can be requeued")
        }
        return Decision(events: [.workItemRequeued(.init(workItemId: id))], reply: .workItem(id))
    }

    /// What happens to a worker's item when the worker ends without success: back to the
    /// queue with backoff (execution) or at once (verification), or failed for good.
    /// `checkIterations` adds the kill rule: an item whose iterations are used up fails.
    func followUp(of worker: Worker, error: String, checkIterations: Bool) -> [Event] {
        guard let item = state.workItems[worker.workItemId], item.workerId == worker.id,
            item.status == .inProgress
        else { return [] }
        // A cancel under way wins over the retry rules: however its worker ends short of
        // completing (a failure, stuck, a kill, a stale kill, a loss), the item ends cancelled.
        if let request = state.cancelRequests[worker.id] {
            return [.workItemCancelled(.init(workItemId: item.id, workerId: worker.id, reason: request.reason))]
        }
        // Saturating: a retry count written by an older build may be anything.
        let retryCount = item.retryCount.addingSaturating(1)
        let limit = item.type == .verification ? config.verificationMaxRetries : config.maxRetries
        if retryCount > limit {
            return [.workItemFailed(.init(
                workItemId: item.id, workerId: worker.id, retryCount: retryCount,
                error: "\(error) (retries exhausted: \(retryCount - 1) of \(limit))"))]
        }
        if checkIterations, worker.iteration >= item.maxIterations {
            return [.workItemFailed(.init(
                workItemId: item.id, workerId: worker.id, retryCount: retryCount,
                error: "\(error) (iterations exhausted: \(worker.iteration) of \(item.maxIterations))"))]
        }
        let nextRetryAt = item.type == .verification ? nil : now.adding(seconds: config.backoffSeconds(forRetry: retryCount))
        return [.workItemRetryScheduled(.init(
            workItemId: item.id, workerId: worker.id, retryCount: retryCount, nextRetryAt: nextRetryAt,
            error: error))]
    }
}
