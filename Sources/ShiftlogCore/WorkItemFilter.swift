/// Which work items a cancel by filter applies to: every field given must match; an item
/// that has ended never matches.
public struct WorkItemFilter: Sendable, Hashable, Codable {
    /// The statuses to match, among `queued`, `assigned` and `in_progress`; `nil`: all three.
    public var statuses: Set<WorkItemStatus>?
    /// The repository to match exactly, e.g. `acme/web`; `nil`: any.
    public var repo: String?
    /// The type to match; `nil`: both.
    public var type: WorkItemType?

    /// A filter on the given fields; at least one must be given.
    public init(statuses: Set<WorkItemStatus>? = nil, repo: String? = nil, type: WorkItemType? = nil) {
        self.statuses = statuses
        self.repo = repo
        self.type = type
    }

    /// The statuses a cancel applies to: the items that have not ended.
    public static let cancellableStatuses: Set<WorkItemStatus> = [.queued, .assigned, .inProgress]

    /// Whether `item` matches every field given and has not ended.
    public func matches(_ item: WorkItem) -> Bool {
        (statuses ?? Self.cancellableStatuses).contains(item.status) && Self.cancellableStatuses.contains(item.status)
            && (repo == nil || item.repo == repo) && (type == nil || item.type == type)
    }
}
