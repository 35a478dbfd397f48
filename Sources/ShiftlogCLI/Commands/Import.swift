import ArgumentParser
import Foundation
import ShiftlogInspect

/// `shiftlog import`: JSON lines into a new log.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new log from JSON lines written by `shiftlog export`.",
        discussion: """
            Validates every line first (header, fields, event type and schema version, payload, \
            sequence continuity, time order) and refuses a bad file naming the line and the \
            problem, writing nothing. The destination must not exist (or be an empty folder); \
            the log is built in a temporary folder and moved into place at the end.

            A slice (exported with --worker, --item or --after) has gaps in its sequence \
            numbers: import it with --renumber, which numbers its events from 1.

            Examples:
              shiftlog import all.jsonl --path ./copy
              shiftlog import item-2.jsonl --path ./item-2 --renumber
            """)

    @Argument(help: "The JSON-lines file ('-' for standard input).")
    var file: String

    @Option(name: .long, help: "The new database folder to create.")
    var path: String

    @Flag(name: .long, help: "Accept increasing sequence numbers with gaps (a slice) and number them from 1.")
    var renumber = false

    func run() async throws {
        try await reporting {
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    throw fail("\(file): no such file", status: ExitStatus.noInput)
                }
                data = contents
            }
            let parsed = try JSONLines.validate(data, renumber: renumber)
            let bar = ProgressBar(total: UInt64(parsed.events.count), label: "import")
            try JSONLines.importEvents(parsed.events, into: path) { bar.update(UInt64($0)) }
            bar.finish()
            print("imported \(parsed.events.count) events into \(path)")
        }
    }
}
