import ArgumentParser
import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

/// `shiftlog events`: list events, filtered, as a table or JSON lines; `--follow` tails.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the events of a log, filtered, as a table or JSON lines.",
        discussion: """
            Streams from the log as it reads, so a million-event log starts printing at once. \
            Filters combine (all must hold). A work-item filter also shows the lock events of \
            that item's workers.

            Examples:
              shiftlog events --path ./incident --worker worker-3
              shiftlog events --path ./incident --item item-2 --type workerKilled --type workItemFailed
              shiftlog events --path ./incident --since 2026-03-01T09:00:00Z --until 2026-03-01T10:00:00Z
              shiftlog events --path ./shiftlog-data --follow --json | jq .type
              shiftlog events --store 'postgres://shiftlog@db.internal/orchestrator?schema=shiftlog' --follow

            Event types: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @OptionGroup var log: LogOptions

    @OptionGroup var slice: SliceOptions

    @Option(name: .long, help: "Only events of this type (repeatable).")
    var type: [String] = []

    @Option(name: .long, help: "Only events at or after this UTC time (ISO 8601).")
    var since: String?

    @Option(name: .long, help: "Only events at or before this UTC time (ISO 8601).")
    var until: String?

    @Option(name: .long, help: "Stop after this many events.")
    var limit: Int?

    @Flag(name: .long, help: "One JSON object per line (the export format, without its header).")
    var json = false

    @Flag(name: .long, help: "Keep running and print events as another process appends them.")
    var follow = false

    func validate() throws {
        for name in type where EventType(rawValue: name) == nil {
            throw ValidationError("unknown event type '\(name)'; known: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let since, Timestamp(iso8601: since) == nil { throw ValidationError("--since '\(since)' is not an ISO-8601 UTC time") }
        if let until, Timestamp(iso8601: until) == nil { throw ValidationError("--until '\(until)' is not an ISO-8601 UTC time") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await reporting {
            let log = try log.open()
            var filter = slice.filter
            filter.types = Set(type.compactMap(EventType.init(rawValue:)))
            filter.since = since.flatMap { Timestamp(iso8601: $0) }
            filter.until = until.flatMap { Timestamp(iso8601: $0) }
            // Start near the first event that can match, rather than at the beginning.
            var start = slice.after
            if let since = filter.since, filter.workItemIds.isEmpty {
                start = max(start, try LogPoint.time(since.adding(milliseconds: -1)).resolve(in: log))
            }
            let output = Output()
            let columns = Columns(widths: [8, 26, 24])
            if !json { output.line(columns.row(["SEQ", "TIME", "TYPE", "DETAILS"])) }
            var printed = 0
            var position = start
            while true {
                var done = false
                try log.scan(after: position) { batch in
                    for event in batch {
                        position = event.sequence
                        if filter.matches(event) {
                            output.line(json ? try JSONLines.line(event) : columns.row([
                                String(event.sequence), event.time.iso8601, event.type.rawValue, event.event.summary,
                            ]))
                            printed += 1
                            if let limit, printed >= limit { done = true; return false }
                        }
                        if filter.isPast(event) { done = true; return false }
                    }
                    output.flush()
                    return true
                }
                output.flush()
                guard follow, !done else { return }
                await log.waitForEvents(after: position, pollInterval: .milliseconds(200))
            }
        }
    }
}
