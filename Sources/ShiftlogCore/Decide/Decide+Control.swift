/// An operator's control of an item beyond whim's: run it again now, change its priority.
extension Rules {
    /// A failed or cancelled item goes back to the queue with a fresh retry count; a queued
    /// one waiting for its backoff becomes due. Idempotent: a queued item already due appends
    /// nothing and answers the same.
    func retryNow(_ id: WorkItemID, requestedBy: String) throws(LifecycleError) -> Decision {
        let item = try item(id)
        let requestedBy = try nonEmpty(requestedBy, "requestedBy")
        switch item.status {
        case .failed, .cancelled:
            break
        case .queued:
            guard let due = item.nextRetryAt, due > now else { return Decision(events: [], reply: .workItem(id)) }
        case .completed:
            throw LifecycleError(.invalidState, "work item '\(id)' is completed; requeue it to run it again")
        case .generating, .assigned, .inProgress:
            throw LifecycleError(.invalidState, "work item '\(id)' is \(item.status.rawValue); only failed, cancelled or waiting queued items can be retried")
        }
        return Decision(
            events: [.workItemRetriedNow(.init(workItemId: id, previousStatus: item.status, requestedBy: requestedBy))],
            reply: .workItem(id))
    }

    /// A waiting item (queued or assigned) takes its new priority; the same priority appends
    /// nothing.
    func changePriority(_ id: WorkItemID, to priority: Priority, requestedBy: String) throws(LifecycleError) -> Decision {
        let item = try item(id)
        let requestedBy = try nonEmpty(requestedBy, "requestedBy")
        guard item.status == .queued || item.status == .assigned else {
            throw LifecycleError(.invalidState, "work item '\(id)' is \(item.status.rawValue); only queued or assigned items change priority")
        }
        guard item.priority != priority else { return Decision(events: [], reply: .workItem(id)) }
        return Decision(
            events: [.workItemPriorityChanged(.init(
                workItemId: id, priority: priority, previousPriority: item.priority, requestedBy: requestedBy))],
            reply: .workItem(id))
    }
}
