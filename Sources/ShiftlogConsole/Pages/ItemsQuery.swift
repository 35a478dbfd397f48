import Foundation
import ShiftlogCore

/// What the items page shows, from its query (`/items?status=queued&repo=acme/web&q=login&sort=oldest&page=2`):
/// each parameter checked, and a bad one refused with a message saying what is allowed.
struct ItemsQuery: Sendable {
    enum Sort: String, CaseIterable, Sendable {
        case newest, oldest, priority, updated
    }

    var status: WorkItemStatus?
    var repo: String?
    var priority: Priority?
    var type: WorkItemType?
    var text: String?
    /// The text filter, ready to search with (made once, not once an item).
    private var needle: CaseInsensitiveNeedle?
    var sort: Sort = .newest
    var page = 1

    static let pageSize = 50
    static let maxPage = 100_000

    init(_ fields: FormFields) throws(ConsoleError) {
        if let text = fields.text("status"), text != "all" {
            guard let status = WorkItemStatus(rawValue: text) else {
                throw .badInput("Unknown status \(ConsoleError.quoted(text)): use all or one of \(WorkItemStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.status = status
        }
        if let text = fields.text("priority"), text != "all" {
            guard let priority = Priority(rawValue: text) else {
                throw .badInput("Unknown priority \(ConsoleError.quoted(text)): use all, low, medium, high or critical.")
            }
            self.priority = priority
        }
        if let text = fields.text("type"), text != "all" {
            guard let type = WorkItemType(rawValue: text) else {
                throw .badInput("Unknown type \(ConsoleError.quoted(text)): use all, execution or verification.")
            }
            self.type = type
        }
        if let repo = fields.text("repo") {
            guard repo.count <= 200 else { throw .badInput("The repository filter is longer than 200 characters.") }
            self.repo = repo
        }
        if let text = fields.text("q") {
            guard text.count <= 200 else { throw .badInput("The text to search for is longer than 200 characters.") }
            self.text = text
            needle = CaseInsensitiveNeedle(text)
        }
        if let text = fields.text("sort") {
            guard let sort = Sort(rawValue: text) else {
                throw .badInput("Unknown sort \(ConsoleError.quoted(text)): use \(Sort.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.sort = sort
        }
        if let text = fields.text("page") {
            guard let page = Int(text), (1...Self.maxPage).contains(page) else {
                throw .badInput("The page \(ConsoleError.quoted(text)) is not a whole number from 1 to \(Self.maxPage).")
            }
            self.page = page
        }
    }

    /// Whether `item` passes every filter given.
    func matches(_ item: WorkItem) -> Bool {
        if let status, item.status != status { return false }
        if let priority, item.priority != priority { return false }
        if let type, item.type != type { return false }
        if let repo, item.repo != repo { return false }
        if let needle {
            guard needle.isFound(in: item.id) || item.spec.map(needle.isFound) == true || item.error.map(needle.isFound) == true
            else { return false }
        }
        return true
    }

    /// Where `item` goes in the chosen order: ascending keys, ties broken by arrival (the
    /// sequence of the item's `workItemAdded`, unique), so the order is total.
    func sortKey(_ item: WorkItem) -> SortKey {
        let arrival = Int64(truncatingIfNeeded: item.arrival)
        switch sort {
        case .newest: return SortKey(-item.createdAt.millisecondsSinceEpoch, 0, -arrival)
        case .oldest: return SortKey(item.createdAt.millisecondsSinceEpoch, 0, arrival)
        case .updated: return SortKey(-item.updatedAt.millisecondsSinceEpoch, 0, -arrival)
        case .priority: return SortKey(-Int64(item.priority.rank), item.createdAt.millisecondsSinceEpoch, arrival)
        }
    }

    /// Three numbers compared in turn.
    struct SortKey: Comparable, Sendable {
        var first: Int64
        var second: Int64
        var third: Int64

        init(_ first: Int64, _ second: Int64, _ third: Int64) {
            self.first = first
            self.second = second
            self.third = third
        }

        static func < (a: SortKey, b: SortKey) -> Bool {
            (a.first, a.second, a.third) < (b.first, b.second, b.third)
        }
    }

    /// The same filter as the service's cancel by filter (`POST /api/work/cancel`), when this
    /// query can be said in its terms: status (one not ended), repo and type, at least one of
    /// them, and neither priority nor text.
    var cancelFilter: WorkItemFilter? {
        guard priority == nil, text == nil, status != nil || repo != nil || type != nil else { return nil }
        if let status, !WorkItemFilter.cancellableStatuses.contains(status) { return nil }
        return WorkItemFilter(statuses: status.map { [$0] }, repo: repo, type: type)
    }

    /// The filter in words, for headings and confirmations.
    var summary: String {
        var parts: [String] = []
        if let status { parts.append("status \(status.rawValue)") }
        if let repo { parts.append("repo \(repo)") }
        if let priority { parts.append("priority \(priority.rawValue)") }
        if let type { parts.append("type \(type.rawValue)") }
        if let text { parts.append("text \(ConsoleError.quoted(text))") }
        return parts.isEmpty ? "no filter" : parts.joined(separator: ", ")
    }

    /// The query string (with its `?`) of this filter and sort at `page`.
    func link(page: Int, sort: Sort? = nil) -> String {
        var pairs: [(String, String)] = []
        if let status { pairs.append(("status", status.rawValue)) }
        if let repo { pairs.append(("repo", repo)) }
        if let priority { pairs.append(("priority", priority.rawValue)) }
        if let type { pairs.append(("type", type.rawValue)) }
        if let text { pairs.append(("q", text)) }
        let sort = sort ?? self.sort
        if sort != .newest { pairs.append(("sort", sort.rawValue)) }
        if page != 1 { pairs.append(("page", String(page))) }
        return pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\(FormFields.encoded($0.1))" }.joined(separator: "&")
    }


}
