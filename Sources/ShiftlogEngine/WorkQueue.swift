public import ShiftlogCore

/// The work queue of an ``Engine``: add, next, cancel, requeue, get, list, stats.
public struct WorkQueue: Sendable {
    let engine: Engine

    /// Adds an item (`queued`).
    @discardableResult
    public func add(_ newItem: NewWorkItem) async throws -> WorkItem {
        try item(of: await engine.execute(.addWorkItem(newItem)))
    }

    /// Hands out the next ready item (`assigned`): execution before verification, then
    /// priority, then oldest; items waiting for their retry time are skipped.
    public func next() async throws -> WorkItem? {
        let result = try await engine.execute(.assignNext)
        return result.reply == .noWorkItem ? nil : try item(of: result)
    }

    /// Cancels an item: a queued or assigned one at once; a running one's worker is asked to
    /// end (see ``Engine/cancel(itemId:reason:)``). Returns the item as the cancel left it.
    @discardableResult
    public func cancel(_ id: WorkItemID, reason: String? = nil) async throws -> WorkItem {
        try item(of: await engine.execute(.cancelWorkItem(id, reason: reason)))
    }

    /// Cancels every item that matches `filter` and has not ended, in one command: each
    /// item's cancel is its own event, all appended together. Returns the items whose cancel
    /// it recorded (a waiting item cancelled, or a running one's worker asked to end), oldest
    /// first; an item already cancelled or being cancelled is not counted again.
    @discardableResult
    public func cancel(matching filter: WorkItemFilter, reason: String? = nil) async throws -> [WorkItemID] {
        let result = try await engine.execute(.cancelWorkItems(filter, reason: reason))
        guard case .workItems(let ids) = result.reply else { throw EngineError(.storage, "the cancel returned no items") }
        return ids
    }

    /// Puts a failed, completed or cancelled item back in the queue.
    @discardableResult
    public func requeue(_ id: WorkItemID) async throws -> WorkItem {
        try item(of: await engine.execute(.requeueWorkItem(id)))
    }

    /// Runs an item again now: a failed or cancelled one goes back to the queue with a fresh
    /// retry count; a queued one waiting for its backoff becomes due (one already due is
    /// answered as it is). `requestedBy` names who asked, in the event.
    ///
    /// - Throws: `LifecycleError` `invalidState` for an item assigned, running or completed.
    @discardableResult
    public func retry(_ id: WorkItemID, requestedBy: String) async throws -> WorkItem {
        try item(of: await engine.execute(.retryWorkItem(id, requestedBy: requestedBy)))
    }

    /// Changes a queued or assigned item's priority; the queue order follows. `requestedBy`
    /// names who asked, in the event.
    ///
    /// - Throws: `LifecycleError` `invalidState` for an item running or ended.
    @discardableResult
    public func changePriority(_ id: WorkItemID, to priority: Priority, requestedBy: String) async throws -> WorkItem {
        try item(of: await engine.execute(.changePriority(id, priority, requestedBy: requestedBy)))
    }

    /// The item with `id`, or `nil` (also for a finished item the projections no longer keep).
    public func get(_ id: WorkItemID) -> WorkItem? { engine.state.workItems[id] }

    /// Items, optionally filtered by type and status, oldest first.
    public func list(type: WorkItemType? = nil, status: WorkItemStatus? = nil) -> [WorkItem] {
        engine.state.workItems(type: type, status: status)
    }

    /// Counts of items by status and priority.
    public func stats() -> QueueStats { engine.state.queueStats }

    private func item(of result: CommandResult) throws -> WorkItem {
        guard case .workItem(let id) = result.reply, let item = result.state.workItems[id] else {
            throw EngineError(.storage, "the command returned no work item")
        }
        return item
    }
}
