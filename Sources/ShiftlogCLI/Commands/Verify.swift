import ArgumentParser
import ShiftlogInspect

/// `shiftlog verify`: integrity checks.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a log's integrity: checksums, continuity, decoding, deterministic replay.",
        discussion: """
            Reads every record (its CRC-32C over key and bytes, its decoding), checks that \
            sequence numbers have no gap and times never go back, folds the log twice and \
            compares the bytes, checks snapshots and handler checkpoints as `replay` does, and \
            clears reader slots left in lock.mdb by crashed processes (the data file is never \
            written). Exits 1 when a check fails; exits 65, naming the damage in one line on \
            standard error, when the records themselves are damaged (a checksum, a record that \
            does not decode, a missing sequence). A PostgreSQL log (--store) is checked the \
            same way, record by record as stored (it has no reader table).

            Examples:
              shiftlog verify --path ./incident
              shiftlog verify --store 'postgres://shiftlog@db.internal:5432/orchestrator?schema=shiftlog'
            """)

    @OptionGroup var log: LogOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let report = try await reporting {
            let log = try log.open()
            let bar = ProgressBar(total: try log.lastSequence(), label: "verify")
            let report = try LogVerification.run(log) { _, done in bar.update(done) }
            bar.finish()
            return report
        }
        if json {
            try printJSON(report)
        } else {
            for check in report.checks {
                print((check.passed ? "ok    " : "FAIL  ") + check.name + ": " + check.detail)
            }
            print(report.passed ? "verified: \(report.events) events" : "verification FAILED")
        }
        if let damage = report.damage {
            let location = (try? StoreLocation(log.path).description) ?? log.path
            throw fail("\(location): the log is damaged (\(damage)); restore it from a copy", status: ExitStatus.dataError)
        }
        if !report.passed { throw ExitCode(ExitStatus.checkFailed) }
    }
}

import ShiftlogStore
