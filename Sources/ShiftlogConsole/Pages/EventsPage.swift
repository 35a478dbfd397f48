import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

/// What the events page shows, from its query (`/events?type=workerKilled&worker=w-1&item=i-2&before=500`).
struct EventsQuery: Sendable {
    var type: EventType?
    var worker: String?
    var item: String?
    var before: UInt64?

    init(_ fields: FormFields) throws(ConsoleError) {
        if let text = fields.text("type"), text != "all" {
            guard let type = EventType(rawValue: text) else {
                throw .badInput("Unknown event type \(ConsoleError.quoted(text)): use all or one of \(EventType.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.type = type
        }
        for (name, label) in [("worker", "worker id"), ("item", "item id")] {
            guard let text = fields.text(name) else { continue }
            guard text.count <= 200 else { throw .badInput("The \(label) is longer than 200 characters.") }
            if name == "worker" { worker = text } else { item = text }
        }
        if let text = fields.text("before") {
            guard let before = UInt64(text), before >= 1 else {
                throw .badInput("'before' \(ConsoleError.quoted(text)) is not an event sequence (a whole number from 1).")
            }
            self.before = before
        }
    }

    func link(before: UInt64?) -> String {
        var pairs: [(String, String)] = []
        if let type { pairs.append(("type", type.rawValue)) }
        if let worker { pairs.append(("worker", worker)) }
        if let item { pairs.append(("item", item)) }
        if let before { pairs.append(("before", String(before))) }
        return pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\(FormFields.encoded($0.1))" }.joined(separator: "&")
    }
}

/// `/events`: the log, newest first, 100 a page, filtered by type, worker and item; each event
/// links to `/events/<sequence>`. The log is read backwards in batches, at most 200,000 events
/// a page, so a rare filter on a long log answers quickly with a link to read further back.
enum EventsPage {
    struct Row {
        var sequence: UInt64
        var time: String
        var type: String
        var summary: String
    }

    struct Choice {
        var value: String
        var selected: Bool
    }

    struct View {
        var rows: [Row]
        var types: [Choice]
        var worker: String?
        var item: String?
        var older: String?
        var newest: String?
        var scannedTo: UInt64?
        var filtered: Bool
    }

    static let pageSize = 100
    static let scanLimit = 200_000

    static func render(_ state: LifecycleState, _ source: any ConsoleSource, query: EventsQuery) throws -> Page {
        let log = source.log
        let last = state.lastSequence
        var end = min(query.before.map { $0 - 1 } ?? last, last)
        let workersOfItem: Set<WorkerID> = query.item.map { item in
            Set(state.workers.values.filter { $0.workItemId == item }.map(\.id))
        } ?? []
        func matches(_ recorded: RecordedEvent) -> Bool {
            let event = recorded.event
            if let type = query.type, recorded.type != type { return false }
            if let worker = query.worker, event.workerId != worker { return false }
            if let item = query.item {
                guard event.workItemIds.contains(item) || (event.workerId.map(workersOfItem.contains) ?? false) else { return false }
            }
            return true
        }
        var rows: [Row] = []
        var scanned = 0
        var full = false
        while end > 0, !full, scanned < scanLimit {
            let start = end > 4_096 ? end - 4_096 : 0
            let batch = try log.read(after: start, limit: Int(end - start))
            scanned += batch.count
            for recorded in batch.reversed() where matches(recorded) {
                rows.append(Row(
                    sequence: recorded.sequence, time: recorded.time.iso8601, type: recorded.type.rawValue,
                    summary: recorded.event.summary))
                if rows.count == pageSize {
                    full = true
                    end = recorded.sequence - 1
                    break
                }
            }
            if !full { end = start }
        }
        let filtered = query.type != nil || query.worker != nil || query.item != nil
        let view = View(
            rows: rows,
            types: [Choice(value: "all", selected: query.type == nil)]
                + EventType.allCases.map { Choice(value: $0.rawValue, selected: $0 == query.type) },
            worker: query.worker, item: query.item,
            older: end > 0 ? "/events" + query.link(before: end + 1) : nil,
            newest: query.before != nil ? "/events" + EventsQuery(copying: query).link(before: nil) : nil,
            scannedTo: !full && end > 0 ? end : nil, filtered: filtered)
        return Page(title: "Events", section: "/events", body: Templates.render("events", view), scope: "events")
    }
}

extension EventsQuery {
    /// The same filter (a copy to drop `before` from).
    init(copying other: EventsQuery) {
        self = other
        before = nil
    }
}

/// `/events/<sequence>`: one event, as `shiftlog export` writes it, with links to its worker's
/// and item's stories.
enum EventPage {
    struct View {
        var sequence: UInt64
        var type: String
        var time: String
        var summary: String
        var json: String
        var items: [String]
        var worker: String?
        var previous: UInt64?
        var next: UInt64?
    }

    static func render(sequenceText: String, _ source: any ConsoleSource) throws -> Page {
        guard let sequence = UInt64(sequenceText.hasPrefix("#") ? String(sequenceText.dropFirst()) : sequenceText), sequence >= 1 else {
            throw ConsoleError.badInput("\(ConsoleError.quoted(sequenceText)) is not an event sequence (a whole number from 1).")
        }
        guard let recorded = try source.log.read(after: sequence - 1, limit: 1).first, recorded.sequence == sequence else {
            throw ConsoleError.notFound("No event #\(sequence) in this log (its last is #\(try source.log.lastSequence())).")
        }
        let last = try source.log.lastSequence()
        let view = View(
            sequence: sequence, type: recorded.type.rawValue, time: recorded.time.iso8601, summary: recorded.event.summary,
            json: try JSONLines.line(recorded), items: recorded.event.workItemIds, worker: recorded.event.workerId,
            previous: sequence > 1 ? sequence - 1 : nil, next: sequence < last ? sequence + 1 : nil)
        return Page(title: "Event #\(sequence)", section: "/events", body: Templates.render("event", view), scope: "none")
    }
}
