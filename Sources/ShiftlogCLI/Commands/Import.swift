import ArgumentParser
import Foundation
import ShiftlogInspect

/// `shiftlog import`: JSON lines into a new log.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new log from JSON lines written by `shiftlog export`.",
        discussion: """
            Reads the file line by line (memory stays small whatever its size) and checks each \
            line (header, fields, event type and schema version, payload, sequence continuity, \
            time order); a bad line stops the import, naming the line, the field and the \
            problem, and nothing is written. The destination must not exist (or be an empty \
            folder); the log is built in a staging folder beside it (<path>.importing-<pid>) and \
            moved into place at the end. A staging folder left by an import that was killed is \
            removed by the next import into the same destination.

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
            let input: FileHandle
            if file == "-" {
                input = FileHandle.standardInput
            } else {
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    throw fail("\(file): no such file", status: ExitStatus.noInput)
                }
                input = handle
            }
            defer { try? input.close() }
            let count = try JSONLines.importLines(
                from: input, into: path, renumber: renumber,
                notice: { FileHandle.standardError.write(Data("shiftlog: \($0)\n".utf8)) },
                progress: { if $0 % 262_144 == 0 { FileHandle.standardError.write(Data("imported \($0) events…\n".utf8)) } })
            print("imported \(count) events into \(path)")
        }
    }
}
