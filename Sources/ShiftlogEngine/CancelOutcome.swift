public import ShiftlogCore

/// What a cancel left: the item, and for a running item, the cancel asked of its worker.
public struct CancelOutcome: Sendable, Hashable, Codable {
    /// The item as the cancel left it: `cancelled`, or still `in_progress` while its worker
    /// has its grace to end.
    public var item: WorkItem
    /// The request its worker was given, while the item is being cancelled; `nil` once the
    /// item has ended.
    public var request: CancelRequest?

    /// An outcome with every field given.
    public init(item: WorkItem, request: CancelRequest?) {
        self.item = item
        self.request = request
    }
}
