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

    /// Cancels a queued or assigned item.
    @discardableResult
    public func cancel(_ id: WorkItemID) async throws -> WorkItem {
        try item(of: await engine.execute(.cancelWorkItem(id)))
    }

    /// Puts a failed, completed or cancelled item back in the queue.
    @discardableResult
    public func requeue(_ id: WorkItemID) async throws -> WorkItem {
        try item(of: await engine.execute(.requeueWorkItem(id)))
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
