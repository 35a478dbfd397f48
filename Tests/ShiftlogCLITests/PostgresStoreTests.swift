import Foundation
import Testing

/// Every inspection command on a PostgreSQL log (`--store`), against the same log in an LMDB
/// folder: the same output, the same exit statuses; `export` → `import` between the stores
/// keeps every record's bytes (compared with `mdb_dump` and `psql`, below any Shiftlog code);
/// imports into PostgreSQL refuse what a folder import refuses; damaged rows are found.
@Suite(.enabled(if: !PostgresShell.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct PostgresStoreTests {
    let database: PostgresShell
    let folder = NSTemporaryDirectory() + "shiftlog-pgstore-\(UUID().uuidString)"

    init() throws {
        database = try PostgresShell()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// The fixture log imported twice: into a folder, and into this test's schema.
    private func importBoth(_ body: (_ folder: String, _ url: String) async throws -> Void) async throws {
        defer { Task { [database] in await database.drop() }; try? FileManager.default.removeItem(atPath: folder) }
        let demo = InspectCommandTests.demoLog
        let lmdb = folder + "/log"
        try #require(try await ShiftlogBinary.run(["import", demo, "--path", lmdb]).status == 0)
        let imported = try await ShiftlogBinary.run(["import", demo, "--store", database.url])
        try #require(imported.status == 0, "\(imported.output)")
        #expect(imported.output.hasPrefix("imported 34 events into postgres://"), "\(imported.output)")
        try await body(lmdb, database.url)
    }

    @Test func everyInspectionCommandReadsPostgreSQLAsItReadsAFolder() async throws {
        try await importBoth { lmdb, url in
            for testCase in InspectCommandTests.cases where testCase.source == "Logs/demo.jsonl" && testCase.status != 66 {
                let onFolder = try await ShiftlogBinary.run(testCase.arguments.map { $0.replacingOccurrences(of: "<log>", with: lmdb) })
                // `--path <url>` is read as `--store <url>`.
                let onStore = try await ShiftlogBinary.run(testCase.arguments.map { $0 == "<log>" ? url : $0 })
                #expect(onStore.status == onFolder.status, "\(testCase.name): \(onStore.output)")
                if testCase.name == "verify" {
                    // Only the reader table differs: PostgreSQL has none.
                    let readers = { (text: String) in text.split(separator: "\n").filter { !$0.contains("stale readers") } }
                    #expect(readers(onStore.output) == readers(onFolder.output), "\(onStore.output)")
                    #expect(onStore.output.contains("ok    stale readers: this store keeps no reader table"))
                } else {
                    #expect(stable(onStore.output) == stable(onFolder.output), "\(testCase.name)")
                }
            }
            let store = ["--store", url]
            let unknown = try await ShiftlogBinary.run(["timeline", "worker-99"] + store)
            #expect(unknown.status == 66, "\(unknown.output)")
        }
    }

    /// LMDB → export → import into PostgreSQL → export again: the same file, and the same
    /// record bytes under the same sequences in both stores. On a log the engine wrote (the
    /// demo), and back again into a folder.
    @Test func exportAndImportMoveALogBetweenTheStoresExactly() async throws {
        defer { Task { [database] in await database.drop() }; try? FileManager.default.removeItem(atPath: folder) }
        let original = folder + "/original"
        #expect(try await ShiftlogBinary.run(["demo", "--path", original]).status == 0)
        let first = folder + "/first.jsonl", second = folder + "/second.jsonl"
        #expect(try await ShiftlogBinary.run(["export", "--path", original, "-o", first]).status == 0)
        let imported = try await ShiftlogBinary.run(["import", first, "--store", database.url])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(try await ShiftlogBinary.run(["export", "--store", database.url, "-o", second]).status == 0)
        let exported = try String(contentsOfFile: first, encoding: .utf8)
        #expect(exported.split(separator: "\n").count > 30)
        #expect(try String(contentsOfFile: second, encoding: .utf8) == exported)
        let lmdbRecords = try await RecordDump.pairs(original)
        #expect(lmdbRecords.count == exported.split(separator: "\n").count - 1)
        await #expect(try database.records() == lmdbRecords)
        let verified = try await ShiftlogBinary.run(["verify", "--store", database.url])
        #expect(verified.status == 0, "\(verified.output)")
        // And back: PostgreSQL → a folder, through standard input.
        let back = folder + "/back"
        let piped = try await ShiftlogBinary.run(["import", "-", "--path", back], stdin: try Data(contentsOf: URL(fileURLWithPath: second)))
        #expect(piped.status == 0, "\(piped.output)")
        await #expect(try RecordDump.pairs(back) == lmdbRecords)
    }

    /// `import --from`: the whole log, checkpoints and snapshot too, there and back, byte for
    /// byte; a format-1 log is copied as the same events in this build's record format.
    @Test func importFromCopiesAWholeLogWithItsCheckpointsAndSnapshot() async throws {
        defer { Task { [database] in await database.drop() }; try? FileManager.default.removeItem(atPath: folder) }
        let original = folder + "/original", back = folder + "/back"
        #expect(try await ShiftlogBinary.run(["generate", "--path", original, "--events", "3000", "--snapshot-interval", "1000"]).status == 0)
        let there = try await ShiftlogBinary.run(["import", "--from", original, "--store", database.url])
        #expect(there.status == 0, "\(there.output)")
        #expect(there.output.contains("the snapshot at #"), "\(there.output)")
        #expect(there.output.hasSuffix("every record is byte-identical\n"), "\(there.output)")
        await #expect(try database.records() == RecordDump.pairs(original))
        let replay = try await ShiftlogBinary.run(["replay", "--store", database.url])
        #expect(replay.status == 0 && replay.output.contains("equals the fold"), "\(replay.output)")
        let again = try await ShiftlogBinary.run(["import", "--from", database.url, "--path", back])
        #expect(again.status == 0, "\(again.output)")
        for table in ["events", "checkpoints", "snapshots"] {
            await #expect(try RecordDump.records(back, table: table) == RecordDump.records(original, table: table), "\(table)")
        }
        // A live log with handler checkpoints, into PostgreSQL: they come along.
        let demo = folder + "/demo"
        #expect(try await ShiftlogBinary.run(["demo", "--path", demo]).status == 0)
        let other = try PostgresShell()
        defer { Task { [other] in await other.drop() } }
        let live = try await ShiftlogBinary.run(["import", "--from", demo, "--store", other.url])
        #expect(live.status == 0 && !live.output.contains(" 0 checkpoint(s)"), "\(live.output)")
        await #expect(try other.run("SELECT handler || '=' || sequence FROM \"\(other.schema)\".checkpoints ORDER BY handler")
            .split(separator: "\n").count >= 1)
        // The first build's format: the same events, stored again as format 2, and said so.
        let formatOne = ShiftlogBinary.root.appendingPathComponent("Fixtures/Logs/format-1").path
        let third = try PostgresShell()
        defer { Task { [third] in await third.drop() } }
        let upgraded = try await ShiftlogBinary.run(["import", "--from", formatOne, "--store", third.url])
        #expect(upgraded.status == 0, "\(upgraded.output)")
        #expect(upgraded.output.contains("record(s) of the JSON format stored again"), "\(upgraded.output)")
        let exports = [try await ShiftlogBinary.run(["export", "--path", formatOne]).output, try await ShiftlogBinary.run(["export", "--path", third.url]).output]
        #expect(exports[0] == exports[1])
        // A damaged source is refused and leaves nothing behind. (The fixture imported: one
        // write, so the flipped bytes are in the page in use, not in an old copy of it.)
        let damaged = folder + "/damaged", imported = folder + "/imported"
        #expect(try await ShiftlogBinary.run(["import", InspectCommandTests.demoLog, "--path", imported]).status == 0)
        try FileManager.default.createDirectory(atPath: damaged, withIntermediateDirectories: true)
        var data = try Data(contentsOf: URL(fileURLWithPath: imported + "/data.mdb"))
        let at = try #require(data.range(of: Data("acme/docs".utf8))).lowerBound
        data[at] = UInt8(ascii: "X")
        try data.write(to: URL(fileURLWithPath: damaged + "/data.mdb"))
        let refused = try await ShiftlogBinary.run(["import", "--from", damaged, "--path", folder + "/nothing"])
        #expect(refused.status == 65 && refused.output.contains("checksum mismatch"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/nothing"))
    }

    /// `events --follow` on PostgreSQL prints what another process appends (woken by its
    /// notification, or the poll).
    @Test func eventsFollowsAPostgreSQLLog() async throws {
        defer { Task { [database] in await database.drop() }; try? FileManager.default.removeItem(atPath: folder) }
        let empty = folder + "/empty.jsonl"
        try (JSONLinesHeader.text + "\n").write(toFile: empty, atomically: true, encoding: .utf8)
        try #require(try await ShiftlogBinary.run(["import", empty, "--store", database.url]).status == 0)
        let url = database.url
        let lines = try await RunningShiftlog.with(["events", "--store", url, "--follow"]) { following in
            #expect(try await following.next(1).first?.hasPrefix("SEQ") == true)
            let imported = try await ShiftlogBinary.run(["import", InspectCommandTests.demoLog, "--store", url])
            #expect(imported.status == 0, "\(imported.output)")
            return try await following.next(34)
        }
        #expect(lines.first?.hasPrefix("1 ") == true)
        #expect(lines.last?.hasPrefix("34 ") == true)
    }

    @Test func importIntoPostgreSQLRefusesWhatAFolderImportRefuses() async throws {
        try await importBoth { _, url in
            // A schema that holds a log: refused before the file is read, nothing changed.
            let before = try await database.records()
            let again = try await ShiftlogBinary.run(["import", InspectCommandTests.demoLog, "--store", url])
            #expect(again.status == 73, "\(again.output)")
            #expect(again.output.contains("already holds a log (34 events"), "\(again.output)")
            await #expect(try database.records() == before)
        }
        // A bad line: named, and the schema is never created.
        let fresh = try PostgresShell()
        defer { Task { [fresh] in await fresh.drop() } }
        var lines = try String(contentsOfFile: InspectCommandTests.demoLog, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.remove(at: 7)
        let bad = NSTemporaryDirectory() + "shiftlog-pgbad-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: bad) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await ShiftlogBinary.run(["import", bad, "--store", fresh.url])
        #expect(refused.status == 65)
        #expect(refused.output == "shiftlog: line 8: sequence 8 where 7 was expected (a slice? import it with --renumber)\n")
        await #expect(try fresh.tableCount() == 0)
    }

    @Test func badStoresAreOneLineErrorsWithTheirStatus() async throws {
        // Nothing listens on port 1: unavailable, 69.
        let down = try await ShiftlogBinary.run(["events", "--store", "postgres://postgres@127.0.0.1:1/postgres"])
        #expect(down.status == 69, "\(down.output)")
        #expect(down.output.hasPrefix("shiftlog: postgres://postgres@127.0.0.1:1/postgres?schema=shiftlog: cannot connect"), "\(down.output)")
        #expect(down.output.split(separator: "\n").count == 1, "\(down.output)")
        // A schema with no log: 66.
        let missing = try await ShiftlogBinary.run(["state", "--store", database.url])
        #expect(missing.status == 66, "\(missing.output)")
        #expect(missing.output.contains("no Shiftlog log here"), "\(missing.output)")
        await #expect(try database.tableCount() == 0, "a read-only open created tables")
        // Bad arguments: 64.
        for arguments in [
            ["events", "--store", "postgres://h/db?schema=Bad-Name"], ["events", "--path", "postgres://h/db?color=blue"],
            ["import", InspectCommandTests.demoLog, "--store", "postgres://:5432/db"], ["import", InspectCommandTests.demoLog],
        ] {
            let result = try await ShiftlogBinary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.output)")
        }
    }

    @Test func verifyFindsADamagedOrMissingRowInPostgreSQL() async throws {
        try await importBoth { _, url in
            let events = "\"\(database.schema)\".events"
            try await database.run("UPDATE \(events) SET record = set_byte(record, 30, get_byte(record, 30) # 1) WHERE sequence = 4")
            var result = try await ShiftlogBinary.run(["verify", "--store", url])
            #expect(result.status == 65, "a damaged record is a data error")
            #expect(result.output.contains("the log is damaged (event 4: checksum mismatch"), "\(result.output)")
            #expect(result.output.contains("FAIL  checksums and decoding: event 4: checksum mismatch"), "\(result.output)")
            result = try await ShiftlogBinary.run(["events", "--store", url])
            #expect(result.status == 65)
            #expect(result.output.contains("event 4: checksum mismatch"), "\(result.output)")
            try await database.run("UPDATE \(events) SET record = set_byte(record, 30, get_byte(record, 30) # 1) WHERE sequence = 4")
            try await database.run("DELETE FROM \(events) WHERE sequence = 7")
            result = try await ShiftlogBinary.run(["verify", "--store", url])
            #expect(result.status == 65, "a missing record is a data error")
            #expect(result.output.contains("FAIL  sequence continuity: expected #7, found #8"), "\(result.output)")
        }
    }

    @Test func helpTeachesTheStoreOption() async throws {
        for command in ["events", "state", "timeline", "replay", "diff", "what-if", "export", "verify", "import"] {
            let (status, output) = try await ShiftlogBinary.run([command, "--help"])
            #expect(status == 0)
            #expect(output.contains("--path, --store <path>") && output.contains("postgres://USER"), "\(command) --help does not teach --store")
        }
    }

    private func stable(_ output: String) -> String {
        output.replacing(#/in [0-9.]+ s \([0-9.]+[kM]? events/s\)/#, with: "in <seconds> s")
            .replacing(#/"(seconds|eventsPerSecond)" : [0-9.e+-]+/#) { "\"\($0.output.1)\" : 0" }
    }
}

/// The first line of every export.
enum JSONLinesHeader {
    static let text = #"{"format":"shiftlog-events","version":1}"#
}

extension RecordDump {
    /// The event records of an LMDB folder as `<key hex> <record hex>` lines, in key order
    /// (`mdb_dump`'s byte-value format), to compare with ``PostgresShell/records()``.
    static func pairs(_ folder: String) async throws -> [String] {
        let lines = try await records(folder).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0 != "DATA=END" && !$0.isEmpty }
        return stride(from: 0, to: lines.count - 1, by: 2).map { lines[$0] + " " + lines[$0 + 1] }
    }
}
