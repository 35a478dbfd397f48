import ArgumentParser
import Foundation
import ShiftlogInspect
import ShiftlogPostgres
import ShiftlogStore

/// `shiftlog import`: JSON lines into a new log.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new log, in a folder or in PostgreSQL, from JSON lines written by `shiftlog export`.",
        discussion: """
            Reads the file line by line (memory stays small whatever its size) and checks each \
            line (header, fields, event type and schema version, payload, sequence continuity, \
            time order); a bad line stops the import, naming the line, the field and the \
            problem, and nothing is written. The destination must not exist (or be an empty \
            folder); the log is built in a staging folder beside it (<path>.importing-<pid>) and \
            moved into place at the end. A staging folder left by an import that was killed is \
            removed by the next import into the same destination.

            Into PostgreSQL (--store URL; --path takes the URL too): the schema must \
            hold no log yet (an absent schema is created; one with events, checkpoints or \
            snapshots is refused, exit 73). The lines are checked and staged in a temporary \
            folder first, so a bad line leaves the database untouched; then the events are \
            copied in batches into a staging schema (<schema>-importing), renamed into place \
            in one transaction at the end. An import broken off (killed, connection lost) \
            leaves the schema as it was; opening it is refused, naming the import, until an \
            import into it runs again, which drops the staging schema and starts over. One \
            import at a time into a schema. The records stored are the bytes an LMDB import stores (same \
            encoder, same CRC-32C), so `export` → `import` moves a log between the stores \
            exactly; `shiftlog verify --store URL` checks them.

            A slice (exported with --worker, --item or --after) has gaps in its sequence \
            numbers: import it with --renumber, which numbers its events from 1.

            --from LOG copies a whole log from another store instead of a file (a folder or a \
            postgres:// URL, opened read-only; it may be live: what is appended meanwhile is \
            left out): each record is checked as it is read (checksum, decoding, sequence, \
            time order), and the handler checkpoints and the latest snapshot come along, so an \
            engine opened on the copy starts where one on the source would (an export carries \
            events only). It prints whether every record is byte-identical (records of the \
            first, JSON format are stored again in this build's format: the same events).

            Examples:
              shiftlog import all.jsonl --path ./copy
              shiftlog import item-2.jsonl --path ./item-2 --renumber
              shiftlog export --path ./shiftlog-data | shiftlog import - --store 'postgres://shiftlog@db.internal/orchestrator?schema=shiftlog'
              shiftlog import --from /var/lib/shiftlog --store 'postgres://shiftlog@db.internal/orchestrator?schema=shiftlog'
            """)

    @Argument(help: "The JSON-lines file ('-' for standard input).")
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Copy the whole log in this folder or postgres:// URL instead of reading a file.", valueName: "log"))
    var from: String?

    @Option(
        name: [.customLong("path"), .customLong("store")],
        help: ArgumentHelp(
            "The new log: a database folder to create, or a PostgreSQL log, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME], whose schema holds no log."))
    var path: String

    @Flag(name: .long, help: "Accept increasing sequence numbers with gaps (a slice) and number them from 1.")
    var renumber = false

    func validate() throws {
        _ = try StoreLocation(path)
        switch (file, from) {
        case (nil, nil): throw ValidationError("Missing expected argument '<file>' (or --from <log>)")
        case (.some, .some): throw ValidationError("give a file or --from <log>, not both")
        case (nil, let from?):
            _ = try StoreLocation(from)
            if renumber { throw ValidationError("--renumber is for a slice in a file; --from copies a whole log as it is") }
        case (.some, nil): break
        }
    }

    func run() async throws {
        try await reporting {
            let destination = try StoreLocation(path)
            if let from { return try copy(from: StoreLocation(from), to: destination) }
            let file = file ?? "-"
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
            let progress = { (count: Int) in
                if count % 262_144 == 0 { FileHandle.standardError.write(Data("imported \(count) events…\n".utf8)) }
            }
            let count: Int
            switch destination {
            case .folder(let path):
                count = try JSONLines.importLines(from: input, into: path, renumber: renumber, notice: notice, progress: progress)
            case .postgres(let location):
                try refuseALog(at: location)
                count = try JSONLines.importLines(
                    from: input, intoStoreBuiltBy: { copy in try build(location, notice: notice) { try copy($0) } },
                    staging: NSTemporaryDirectory() + "shiftlog-import-\(location.schema)", renumber: renumber,
                    notice: notice, progress: progress)
            }
            print("imported \(count) events into \(destination.description)")
        }
    }

    /// `--from`: the whole log, records checked, checkpoints and snapshot included.
    private func copy(from source: StoreLocation, to destination: StoreLocation) throws {
        let log = try source.openReadOnly()
        defer { log.close() }
        let bar = ProgressBar(total: try log.lastSequence(), label: "copy")
        let report: LogCopy.Report
        switch destination {
        case .folder(let path):
            report = try LogCopy.whole(from: log, intoFolder: path, notice: notice, progress: { bar.update($0) })
        case .postgres(let location):
            try refuseALog(at: location)
            report = try build(location, notice: notice) { try LogCopy.whole(from: log, to: $0, progress: { bar.update($0) }) }
        }
        bar.finish()
        let snapshot = report.snapshot.map { ", the snapshot at #\($0)" } ?? ", no snapshot"
        print("copied \(report.events) events, \(report.checkpoints) checkpoint(s)\(snapshot) from \(source.description) into \(destination.description)")
        print(report.reencoded == 0
            ? "every record is byte-identical"
            : "\(report.reencoded) record(s) of the JSON format stored again in this build's format (the same events); the others are byte-identical")
    }

    /// What the import has to say on the way (a staging folder or schema it removed).
    private func notice(_ line: String) {
        FileHandle.standardError.write(Data("shiftlog: \(line)\n".utf8))
    }

    /// Builds the log at `location` in its staging schema, renamed into place once `fill`
    /// returns (``PostgresStagingSchema``). A log that appeared there meanwhile is refused as
    /// one found before the import started is (exit 73).
    private func build<T>(_ location: PostgresLocation, notice: (String) -> Void, _ fill: (PostgresEventLog) throws -> T) throws -> T {
        do {
            return try PostgresStagingSchema.build(location, logger: StoreLocation.quiet, notice: notice, fill)
        } catch let error as StoreError where error.code == .conflict {
            throw InspectError(.destinationExists, error.message)
        }
    }

    /// Refuses a PostgreSQL schema that holds a log before anything is read; an absent one is fine.
    private func refuseALog(at location: PostgresLocation) throws {
        do {
            let existing = try PostgresEventLog(location, options: .init(readOnly: true), logger: StoreLocation.quiet)
            defer { existing.close() }
            try JSONLines.requireEmpty(existing)
        } catch let error as StoreError where error.code == .missing {}
    }
}
