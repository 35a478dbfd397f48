public import ShiftlogCore

/// Which events a listing shows: by worker, work item, type, and sequence or time range.
/// All given conditions must hold; an empty set means "any".
///
/// A work-item filter also matches the events of that item's workers that name no item
/// (their lock events), so an item's listing tells its whole story.
public struct EventFilter: Sendable {
    /// Only events about one of these workers (empty: any).
    public var workerIds: Set<WorkerID> = []
    /// Only events about one of these items, or lock events of their workers (empty: any).
    public var workItemIds: Set<WorkItemID> = []
    /// Only events of these types (empty: any).
    public var types: Set<EventType> = []
    /// Only events with `sequence > after`.
    public var after: UInt64 = 0
    /// Only events with `sequence ≤ through`.
    public var through: UInt64 = .max
    /// Only events at or after this time.
    public var since: Timestamp?
    /// Only events at or before this time.
    public var until: Timestamp?

    /// Workers seen working on a filtered item so far.
    public private(set) var workersOfItems: Set<WorkerID> = []

    /// A filter that shows every event.
    public init() {}

    /// Whether `event` is shown. Call in log order: it learns which workers belong to the
    /// filtered items as it goes.
    public mutating func matches(_ event: RecordedEvent) -> Bool {
        let items = event.event.workItemIds
        let ofItem = items.contains(where: workItemIds.contains)
        if ofItem, let worker = event.event.workerId { workersOfItems.insert(worker) }
        guard event.sequence > after, event.sequence <= through else { return false }
        if let since, event.time < since { return false }
        if let until, event.time > until { return false }
        if !types.isEmpty, !types.contains(event.type) { return false }
        if !workerIds.isEmpty {
            guard let worker = event.event.workerId, workerIds.contains(worker) else { return false }
        }
        if !workItemIds.isEmpty, !ofItem {
            guard items.isEmpty, let worker = event.event.workerId, workersOfItems.contains(worker) else { return false }
        }
        return true
    }

    /// Whether no event after `sequence` or `time` can match any more.
    public func isPast(_ event: RecordedEvent) -> Bool {
        event.sequence >= through || until.map { event.time > $0 } == true
    }
}
