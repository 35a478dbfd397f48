import Foundation
import ShiftlogCore

/// `/items`: every item the filter matches, in the chosen order, 50 a page; cancel one, cancel
/// what the filter matches (after a confirmation stating the count), add one.
///
/// One pass over the items filters them; only the page's items are then ordered, by a bounded
/// selection of the first `page × 50` (a sort of the whole match only for deep pages), so a
/// page stays quick at 100,000 items.
enum ItemsPage {
    struct Row {
        var id: String
        var repo: String
        var type: String
        var priority: String
        var status: String
        var retries: Int
        var created: String
        var error: String?
        var cancellable: Bool
    }

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct View {
        var rows: [Row]
        var matched: Int
        var total: Int
        var summary: String
        var page: Int
        var pages: Int
        var previous: String?
        var next: String?
        var statuses: [Choice]
        var priorities: [Choice]
        var types: [Choice]
        var sorts: [Choice]
        var repo: String?
        var text: String?
        var canAct: Bool
        var bulkCancel: String?
        var bulkCancelNote: String?
        var back: String
        var idempotencyKey: String
        var addPriorities: [Choice]
        var csrf: String
    }

    static func render(_ state: LifecycleState, query: ItemsQuery, canAct: Bool, csrf: String) throws(ConsoleError) -> Page {
        var matched: [(key: ItemsQuery.SortKey, item: WorkItem)] = []
        for item in state.workItems.values where query.matches(item) { matched.append((query.sortKey(item), item)) }
        let start = (query.page - 1) * ItemsQuery.pageSize
        let pages = max(1, (matched.count + ItemsQuery.pageSize - 1) / ItemsQuery.pageSize)
        guard start < matched.count || query.page == 1 else {
            throw .badInput("Page \(query.page) is past the last page (\(pages)) of the items matching \(query.summary).")
        }
        let shown = firstItems(matched, count: start + ItemsQuery.pageSize).dropFirst(start).map(\.item)
        let rows = shown.map { item in
            Row(
                id: item.id, repo: item.repo, type: item.type.rawValue, priority: item.priority.rawValue,
                status: item.status.rawValue, retries: item.retryCount, created: item.createdAt.iso8601,
                error: item.error.map { firstLine($0, limit: 160) },
                cancellable: canAct && WorkItemFilter.cancellableStatuses.contains(item.status))
        }
        func choices(_ values: [String], selected: String?) -> [Choice] {
            [Choice(value: "all", label: "all", selected: selected == nil)]
                + values.map { Choice(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: $0 == selected) }
        }
        var bulkCancel: String?
        var bulkCancelNote: String?
        if canAct {
            if query.cancelFilter != nil {
                bulkCancel = "/items/cancel" + query.link(page: 1)
            } else if query.status != nil || query.repo != nil || query.type != nil || query.priority != nil || query.text != nil {
                bulkCancelNote = BulkCancel.notExpressible
            }
        }
        let view = View(
            rows: rows, matched: matched.count, total: state.workItems.count, summary: query.summary, page: query.page,
            pages: pages, previous: query.page > 1 ? "/items" + query.link(page: query.page - 1) : nil,
            next: query.page < pages ? "/items" + query.link(page: query.page + 1) : nil,
            statuses: choices(WorkItemStatus.allCases.map(\.rawValue), selected: query.status?.rawValue),
            priorities: choices(Priority.allCases.map(\.rawValue), selected: query.priority?.rawValue),
            types: choices(WorkItemType.allCases.map(\.rawValue), selected: query.type?.rawValue),
            sorts: ItemsQuery.Sort.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.sort) },
            repo: query.repo, text: query.text, canAct: canAct, bulkCancel: bulkCancel, bulkCancelNote: bulkCancelNote,
            back: "/items" + query.link(page: query.page), idempotencyKey: ConsoleSessions.token(),
            addPriorities: Priority.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == .medium) },
            csrf: csrf)
        return Page(title: "Items", section: "/items", body: Templates.render("items", view), scope: "items")
    }

    /// The first `count` of `items` by key, in order: a bounded insertion into a sorted buffer
    /// while `count` is small beside the matches, a full sort otherwise.
    static func firstItems(_ items: [(key: ItemsQuery.SortKey, item: WorkItem)], count: Int) -> [(key: ItemsQuery.SortKey, item: WorkItem)] {
        guard count < items.count / 4 else { return Array(items.sorted { $0.key < $1.key }.prefix(count)) }
        var kept: [(key: ItemsQuery.SortKey, item: WorkItem)] = []
        kept.reserveCapacity(count + 1)
        for entry in items {
            if kept.count == count, let last = kept.last, !(entry.key < last.key) { continue }
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if kept[middle].key < entry.key { low = middle + 1 } else { high = middle }
            }
            kept.insert(entry, at: low)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }

    static func firstLine(_ text: String, limit: Int) -> String {
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.count > limit ? line.prefix(limit) + "…" : line
    }
}

/// Cancelling everything a filter matches: the confirmation page states the count, its form
/// then runs the service's cancel by filter.
enum BulkCancel {
    static let notExpressible =
        "Cancelling everything a filter matches takes a filter of status (queued, assigned or in progress), repo or type only: remove the priority and text filters first."

    struct View {
        var count: Int
        var any: Bool
        var csrf: String
        var plural: Bool
        var summary: String
        var status: String?
        var repo: String?
        var type: String?
        var back: String
    }

    static func confirmation(_ state: LifecycleState, query: ItemsQuery, canAct: Bool, csrf: String) throws(ConsoleError) -> Page {
        guard canAct else { throw .readOnly }
        guard let filter = query.cancelFilter else { throw .badInput(notExpressible) }
        let count = state.workItems.values.reduce(0) { $0 + (filter.matches($1) ? 1 : 0) }
        let view = View(
            count: count, any: count > 0, csrf: csrf, plural: count != 1, summary: query.summary, status: query.status?.rawValue, repo: query.repo,
            type: query.type?.rawValue, back: "/items" + query.link(page: 1))
        return Page(title: "Cancel \(count) items?", section: "/items", body: Templates.render("confirm", view), scope: "items")
    }
}
