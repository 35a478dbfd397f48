import ArgumentParser
import ShiftlogEngine
import ShiftlogStore
import ShiftlogInspect

/// `shiftlog diff --from A --to B`: what changed between two points.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed in the projections between two points.",
        discussion: """
            Folds the log to --from and to --to and prints a structural diff in the projection \
            document's field names, records matched by id:
              ~ workers[worker-3].status: "running" → "killed"
              + locks[acme/web:src/login.ts]: {…}
            Points are sequence numbers or ISO-8601 UTC times.

            Example:
              shiftlog diff --path ./incident --from 2026-03-01T09:00:00Z --to 2026-03-01T09:15:00Z
            """)

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "The earlier point (sequence number or UTC time).")
    var from: LogPoint

    @Option(name: .long, help: "The later point (sequence number or UTC time).")
    var to: LogPoint

    @Flag(name: .long, help: "Print the changes as JSON.")
    var json = false

    func run() async throws {
        try await reporting {
            let log = try log.open()
            let start = try from.resolve(in: log)
            let end = try to.resolve(in: log)
            let before = try Replay.fold(log, until: start)
            let after = try Replay.fold(log, into: before, until: end)
            let diff = try StateDiff(from: before, to: after).ignoring(["lastSequence"])
            if json {
                try printJSON(diff)
                return
            }
            print("from #\(start) to #\(end): \(diff.changes.count) change(s)")
            for line in diff.lines { print(line) }
        }
    }
}
