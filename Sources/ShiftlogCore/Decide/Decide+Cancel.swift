/// Cancels: of a waiting item (at once), of a running one (a request, then the worker's end
/// or the loop's stop after the grace), and by filter. Every race has one rule, here or in
/// ``followUp(of:error:checkIterations:)``:
///
/// * a completion that lands before the stop is kept (the work is done): the item completes;
/// * a failure, stuck report, kill, stale kill or loss during the grace ends the worker as it
///   says and the item `cancelled` (never retried);
/// * a cancel decided after the item ended is refused `workItemEnded` (completed, failed) or
///   answered as done (cancelled);
/// * a second cancel while one is under way appends nothing and gets the same answer.
extension Rules {
    func cancel(_ id: WorkItemID, reason: String?) throws(LifecycleError) -> Decision {
        let item = try item(id)
        return Decision(events: try cancelEvents(item, reason: Self.reason(reason)), reply: .workItem(id))
    }

    func cancelAll(_ filter: WorkItemFilter, reason: String?) throws(LifecycleError) -> Decision {
        if let statuses = filter.statuses {
            guard !statuses.isEmpty, statuses.isSubset(of: WorkItemFilter.cancellableStatuses) else {
                throw .validation("a cancel filter's statuses must be among queued, assigned and in_progress")
            }
        }
        if let repo = filter.repo { _ = try nonEmpty(repo, "repo") }
        guard filter.statuses != nil || filter.repo != nil || filter.type != nil else {
            throw .validation("a cancel filter needs at least one of 'status', 'repo' and 'type'")
        }
        let reason = Self.reason(reason)
        var events: [Event] = []
        var cancelled: [WorkItemID] = []
        for item in state.workItems.values.filter(filter.matches).sorted(by: LifecycleState.olderFirst) {
            let more = try cancelEvents(item, reason: reason)
            guard !more.isEmpty else { continue }
            events += more
            cancelled.append(item.id)
        }
        return Decision(events: events, reply: .workItems(cancelled))
    }

    /// The loop's stop of a worker still active when its cancel's grace has run out: killed
    /// (its container stopped at once), its item cancelled, its locks released.
    func expireCancelGrace(_ workerId: WorkerID) throws(LifecycleError) -> Decision {
        let worker = try activeWorker(workerId)
        guard let request = state.cancelRequests[workerId] else {
            throw LifecycleError(.invalidState, "no cancel was asked of worker '\(workerId)'")
        }
        guard request.stopDueAt <= now else {
            throw LifecycleError(.invalidState, "worker '\(workerId)' has until \(request.stopDueAt.iso8601) to end")
        }
        return Decision(
            events: [.cancelGraceExpired(.init(workerId: workerId, workItemId: worker.workItemId, graceSeconds: request.graceSeconds))]
                + followUp(of: worker, error: "cancelled", checkIterations: false)
                + releaseEverything(held: workerId))
    }

    /// The events of one item's cancel: none when it is already cancelled or its cancel is
    /// under way.
    private func cancelEvents(_ item: WorkItem, reason: String?) throws(LifecycleError) -> [Event] {
        switch item.status {
        case .queued, .assigned:
            return [.workItemCancelled(.init(workItemId: item.id, reason: reason))]
        case .cancelled:
            return []
        case .inProgress:
            guard let workerId = state.activeWorkerByItem[item.id] else {
                // In progress without an active worker (a log of an older build): nothing to ask.
                return [.workItemCancelled(.init(workItemId: item.id, workerId: item.workerId, reason: reason))]
            }
            guard state.cancelRequests[workerId] == nil else { return [] }
            return [.cancelRequested(.init(
                workItemId: item.id, workerId: workerId, reason: reason, graceSeconds: config.cancelGraceSeconds))]
        case .completed, .failed:
            throw LifecycleError(.workItemEnded, "work item '\(item.id)' is \(item.status.rawValue); it can no longer be cancelled")
        case .generating:
            throw LifecycleError(.invalidState, "work item '\(item.id)' is generating; only queued, assigned or running items can be cancelled")
        }
    }

    /// A reason trimmed of surrounding whitespace; `nil` when empty.
    private static func reason(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
