import ArgumentParser
import Foundation
import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

/// `shiftlog export`: a log or a slice of it as JSON lines.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a log, or a slice of it, as JSON lines.",
        discussion: """
            The first line is a header ({"format":"shiftlog-events","version":1}); each \
            further line is one event with its sequence, time, type, schema version, \
            correlation and causation ids and payload. A whole log round-trips exactly through \
            `shiftlog import`. Slice by range (--after/--through) or by id (--worker/--item, \
            the same filters as `events`); import a slice with --renumber.

            Either store exports the same lines: to move a log between LMDB and PostgreSQL, \
            export it from one and import it into the other (`shiftlog import --help`).

            Examples:
              shiftlog export --path ./shiftlog-data > all.jsonl
              shiftlog export --store 'postgres://shiftlog@db.internal/orchestrator' -o all.jsonl
              shiftlog export --path ./incident --item item-2 --output item-2.jsonl
            """)

    @OptionGroup var log: LogOptions

    @OptionGroup var slice: SliceOptions

    @Option(
        name: [.short, .long],
        help: "Write to this file instead of standard output (replaced whole when done; a link is followed, a FIFO or device written in place).")
    var output: String?

    func run() async throws {
        try await reporting {
            let log = try log.open()
            var filter = slice.filter
            var text = JSONLines.header + "\n"
            // Into what was named: see `OutputFile` (a link stays a link, a FIFO stays a FIFO).
            let file = try output.map { try OutputFile($0) }
            let sink = Output()
            func emit() throws {
                guard !text.isEmpty else { return }
                if let file {
                    try file.write(Array(text.utf8))
                } else {
                    sink.line(String(text.dropLast()))
                }
                text = ""
            }
            // A slice carries the rules in force: the last configuration record before it,
            // and those within its range.
            let slicing = slice.isSlice
            var carried: RecordedEvent?
            try log.scan(after: 0) { batch in
                for event in batch {
                    let isConfiguration = event.type == .configurationRecorded
                    if slicing, isConfiguration, event.sequence <= slice.after {
                        carried = event
                        continue
                    }
                    if filter.matches(event) || (slicing && isConfiguration && event.sequence > slice.after && event.sequence <= filter.through) {
                        if let configuration = carried {
                            text += try JSONLines.line(configuration) + "\n"
                            carried = nil
                        }
                        text += try JSONLines.line(event) + "\n"
                    }
                    if filter.isPast(event) { return false }
                }
                try emit()
                return true
            }
            try emit()
            sink.flush()
            try file?.finish()
        }
    }
}
