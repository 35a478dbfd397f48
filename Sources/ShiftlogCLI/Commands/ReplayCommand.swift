import ArgumentParser
import Foundation
import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

/// `shiftlog replay`: fold from scratch and check snapshots and checkpoints.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Fold the whole log from scratch and check it against what it stores.",
        discussion: """
            Shows a progress bar (on a terminal) and prints the throughput. Checks every stored \
            projection snapshot against the fold at its sequence, every handler checkpoint \
            (within the log; each container start it covers has its outcome), and that every \
            event names workers and items that exist by then. Reports the first sequence \
            number where anything diverges, with a structural diff, and exits 1.

            Examples:
              shiftlog replay --path ./incident
              shiftlog replay --path ./incident --until 2026-03-01T09:10:00Z --json
              shiftlog replay --store 'postgres://shiftlog@db.internal/orchestrator'
            """)

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Stop at this point: a sequence number or an ISO-8601 UTC time.")
    var until: LogPoint?

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Flag(name: .long, help: "Draw the progress bar even when standard error is not a terminal.")
    var progress = false

    func run() async throws {
        let check = try await reporting {
            let log = try log.open()
            let end = try until?.resolve(in: log) ?? log.lastSequence()
            let bar = ProgressBar(total: end, label: "replay", force: progress)
            let (_, check) = try ReplayCheck.run(log, until: end) { bar.update($0) }
            bar.finish()
            return check
        }
        if json {
            try printJSON(check)
        } else {
            print("replayed \(check.events) events in \(String(format: "%.3f", check.seconds)) s (\(ProgressBar.rate(check.eventsPerSecond)) events/s)")
            for snapshot in check.snapshots {
                print("snapshot #\(snapshot.sequence): " + (snapshot.matches ? "equals the fold" : "DIFFERS from the fold"))
                for line in snapshot.diff.prefix(40) { print("    " + line) }
            }
            if check.snapshots.isEmpty { print("snapshots: none stored up to here") }
            for checkpoint in check.checkpoints {
                print("checkpoint \(checkpoint.handler) #\(checkpoint.sequence): " + (checkpoint.problem ?? "ok"))
            }
            for problem in check.problems { print("event #\(problem.sequence): \(problem.message)") }
            print(check.firstDivergence.map { "DIVERGED: first at #\($0)" } ?? "ok: the fold agrees with everything stored")
        }
        if !check.passed { throw ExitCode(ExitStatus.checkFailed) }
    }
}
