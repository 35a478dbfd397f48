public import ShiftlogCore

/// What the console's buttons do, implemented by the service (`ShiftlogServer`) with the same
/// code, checks and errors as its HTTP routes, so that a form and `curl` cannot disagree. A
/// console over a copy of a log has none, and offers no action.
public protocol ConsoleActions: Sendable {
    /// Queues an item from the add-item form's fields (`repo`, `spec`, `priority`, `branch`,
    /// `maxIterations`), as `POST /api/work` with that `Idempotency-Key` would.
    func addItem(_ fields: [String: String], idempotencyKey: String) async throws(ConsoleActionError) -> WorkItemID
    /// Cancels one item, as `POST /api/work/:id/cancel`; answers its status after the cancel.
    func cancel(itemId: WorkItemID, reason: String?) async throws(ConsoleActionError) -> WorkItemStatus
    /// Cancels every item `filter` matches that has not ended, as `POST /api/work/cancel`.
    func cancel(matching filter: WorkItemFilter, reason: String?) async throws(ConsoleActionError) -> [WorkItemID]
    /// Runs a failed or cancelled item again now (or makes a waiting queued one due), as
    /// `POST /api/work/:id/retry`; `requestedBy` names who asked in the event.
    func retry(itemId: WorkItemID, requestedBy: String) async throws(ConsoleActionError)
    /// Changes a queued or assigned item's priority, as `POST /api/work/:id/priority`.
    func changePriority(itemId: WorkItemID, to priority: Priority, requestedBy: String) async throws(ConsoleActionError)
    /// Kills a worker, as `POST /api/workers/:id/kill`.
    func kill(workerId: WorkerID, reason: String?) async throws(ConsoleActionError)
}

/// An action refused: the HTTP status its route would answer and the message it would give.
public struct ConsoleActionError: Error, Sendable, Equatable {
    /// The HTTP status (400, 404, 409, 429, 503…).
    public var status: Int
    /// What went wrong, for a person.
    public var message: String

    /// An error answering `status` with `message`.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}
