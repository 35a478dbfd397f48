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
            prNumber: nil, source: new.source, sourceRef: new.sourceRef, metadata: metadata,
            policy: new.policy.flatMap { $0.isEmpty ? nil : $0 })
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
    func followUp(of worker: Worker, error: String, checkIterations: Bool, category: FailureCategory? = nil) -> [Event] {
        guard let item = state.workItems[worker.workItemId], item.workerId == worker.id,
            item.status == .inProgress
        else { return [] }
        // A cancel under way wins over the retry rules: however its worker ends short of
        // completing (a failure, stuck, a kill, a stale kill, a loss), the item ends cancelled.
        if let request = state.cancelRequests[worker.id] {
            return [.workItemCancelled(.init(workItemId: item.id, workerId: worker.id, reason: request.reason))]
        }
        let rules = EffectiveRetryRules(item: item, policy: state.policies[item.id]?.retry, config: config)
        // Saturating: a retry count written by an older build may be anything.
        let retryCount = item.retryCount.addingSaturating(1)
        func failed(_ why: String) -> [Event] {
            [.workItemFailed(.init(workItemId: item.id, workerId: worker.id, retryCount: retryCount, error: "\(error) (\(why))"))]
        }
        if let category, rules.nonRetryable.contains(category) {
            return failed("not retried: \(category.rawValue) is non-retryable")
        }
        if retryCount > rules.maxRetries {
            return failed("retries exhausted: \(retryCount - 1) of \(rules.maxRetries)")
        }
        if checkIterations, worker.iteration >= item.maxIterations {
            return failed("iterations exhausted: \(worker.iteration) of \(item.maxIterations)")
        }
        let nextRetryAt = rules.wait(forRetry: retryCount, item: item.id).map { now.adding(seconds: $0) }
        return [.workItemRetryScheduled(.init(
            workItemId: item.id, workerId: worker.id, retryCount: retryCount, nextRetryAt: nextRetryAt,
            error: error))]
    }
}
