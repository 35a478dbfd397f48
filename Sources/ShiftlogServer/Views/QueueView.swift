import ShiftlogCore

/// `GET /api/queue`: the items the filters select, in queue order, and counts of all items.
struct QueueView: Encodable, Sendable {
    struct Stats: Encodable, Sendable {
        var total: Int
        var byStatus: [String: Int]
        var byPriority: [String: Int]
    }

    var items: [WorkItem]
    var stats: Stats

    /// `status`: `nil` for whim's default (queued, assigned, in progress), `all`, or one status.
    init(state: LifecycleState, type: WorkItemType?, statuses: Set<WorkItemStatus>?) {
        let selected = state.workItems.values.filter { item in
            (type == nil || item.type == type) && (statuses?.contains(item.status) ?? true)
        }
        items = selected.sorted(by: LifecycleState.queuePrecedes)
        var byPriority = Dictionary(uniqueKeysWithValues: Priority.allCases.map { ($0.rawValue, 0) })
        for item in state.workItems.values { byPriority[item.priority.rawValue, default: 0] += 1 }
        let counts = state.queueStats
        stats = Stats(total: counts.total, byStatus: counts.byStatus, byPriority: byPriority)
    }
}
