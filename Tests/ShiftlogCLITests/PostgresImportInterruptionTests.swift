#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShiftlogPostgres
import ShiftlogStore
import Testing

/// `shiftlog import --from` into PostgreSQL killed mid-copy (SIGKILL) leaves no half log: the
/// log's schema stays absent and every way of opening it is refused, naming the import and
/// the fix; run again, the import drops the copy left behind and gives an exact copy (the same
/// record bytes under the same sequences, the same checkpoints and snapshots); and an import
/// into the schema, which now holds a log, is refused without touching it.
@Suite(.enabled(if: !PostgresShell.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct PostgresImportInterruptionTests {
    @Test(.timeLimit(.minutes(3)))
    func anImportKilledMidCopyLeavesNoLogAndRunsAgainToAnExactCopy() async throws {
        let database = try PostgresShell()
        let folder = NSTemporaryDirectory() + "shiftlog-pg-interrupted-\(UUID().uuidString)"
        defer { Task { [database] in await database.drop() }; try? FileManager.default.removeItem(atPath: folder) }
        let original = folder + "/original", back = folder + "/back"
        // Enough 16,384-event batches for the copy to be caught between two of them.
        let generated = try await ShiftlogBinary.run(["generate", "--path", original, "--events", "100000", "--snapshot-interval", "25000"])
        try #require(generated.status == 0, "\(generated.output)")
        // `generate` finishes the step that reaches the count: a few events more than asked.
        let events = try #require(Int(generated.output.split(separator: " ").dropFirst().first ?? ""), "\(generated.output)")
        let staging = database.schema + "-importing"

        // The import, killed once its staging schema holds some of the log but not all of it.
        let importing = Process()
        importing.executableURL = URL(fileURLWithPath: ShiftlogBinary.path)
        importing.arguments = ["import", "--from", original, "--store", database.url]
        importing.standardOutput = FileHandle.nullDevice
        importing.standardError = FileHandle.nullDevice
        try importing.run()
        var copied = 0
        do {
            try await waitFor(within: .seconds(60), "the import to copy its first batch") {
                guard importing.isRunning else {
                    throw E2EFailure("the import ended (status \(importing.terminationStatus)) before it was caught mid-copy")
                }
                copied = try await database.staged(in: staging)
                return copied > 0
            }
            // One import at a time: another one meanwhile is refused.
            let second = try await ShiftlogBinary.run(["import", "--from", original, "--store", database.url])
            #expect(second.status == 65, "\(second.output)")
            #expect(second.output.contains("another import into schema '\(database.schema)' is running"), "\(second.output)")
        } catch {
            importing.terminate()
            importing.waitUntilExit()
            throw error
        }
        kill(importing.processIdentifier, SIGKILL)
        importing.waitUntilExit()
        #expect(importing.terminationReason == .uncaughtSignal)
        let left = try await database.staged(in: staging)
        print("pg-import/interrupted: killed with \(left) of \(events) events copied")
        #expect(left > 0 && left < events, "killed mid-copy: \(left) events in \(staging)")

        // No half log: the schema is absent; reading it, or opening it to write as an engine
        // (`shiftlog serve`) does, is refused, naming the import and what to do.
        await #expect(try database.tableCount() == 0)
        let reading = try await ShiftlogBinary.run(["events", "--store", database.url])
        #expect(reading.status == 66, "\(reading.output)")
        #expect(reading.output.contains("an import into schema '\(database.schema)' is running or was broken off"), "\(reading.output)")
        #expect(reading.output.contains("run `shiftlog import` into it again to finish it"), "\(reading.output)")
        #expect(throws: StoreError.self) { try PostgresEventLog(url: database.url).close() }
        await #expect(try database.tableCount() == 0, "an open created the log's tables")

        // Run again: the copy left behind is dropped, and the log is an exact copy.
        let again = try await ShiftlogBinary.run(["import", "--from", original, "--store", database.url])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("removed schema '\(staging)', left by an import into"), "\(again.output)")
        #expect(again.output.contains("copied \(events) events"), "\(again.output)")
        #expect(again.output.contains("every record is byte-identical\n"), "\(again.output)")
        await #expect(try database.run("SELECT count(*) FROM pg_namespace WHERE nspname = '\(staging)'") == "0\n")
        await #expect(try database.records() == RecordDump.pairs(original))
        let copiedBack = try await ShiftlogBinary.run(["import", "--from", database.url, "--path", back])
        #expect(copiedBack.status == 0, "\(copiedBack.output)")
        for table in ["events", "checkpoints"] {
            await #expect(try RecordDump.records(back, table: table) == RecordDump.records(original, table: table), "\(table)")
        }
        // The latest snapshot (a copy carries that one only).
        func latest(_ folder: String) async throws -> ArraySlice<Substring> {
            try await RecordDump.records(folder, table: "snapshots").split(separator: "\n").dropLast().suffix(2)
        }
        let (latestBack, latestOriginal) = (try await latest(back), try await latest(original))
        #expect(latestBack == latestOriginal)
        #expect(latestBack.count == 2)

        // Into a schema that holds a log: refused before anything is copied, nothing touched.
        let before = try await database.digest()
        let refused = try await ShiftlogBinary.run(["import", "--from", original, "--store", database.url])
        #expect(refused.status == 73, "\(refused.output)")
        #expect(refused.output.contains("already holds a log (\(events) events"), "\(refused.output)")
        await #expect(try database.digest() == before)
        await #expect(try database.run("SELECT count(*) FROM pg_namespace WHERE nspname = '\(staging)'") == "0\n")
    }
}

extension PostgresShell {
    /// How many events an import's staging schema holds so far (0 while it has none).
    func staged(in staging: String) async throws -> Int {
        let exists = try await run("SELECT count(*) FROM pg_tables WHERE schemaname = '\(staging)' AND tablename = 'head'")
        guard exists == "1\n" else { return 0 }
        // The schema may be dropped or renamed between the two queries.
        let head = await (try? run("SELECT sequence FROM \"\(staging)\".head")) ?? ""
        return Int(head.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// A digest of everything the log holds: its head, events, checkpoints and snapshots.
    func digest() async throws -> String {
        let s = "\"\(schema)\""
        return try await run("""
            SELECT (SELECT sequence FROM \(s).head) || ' '
                || (SELECT md5(string_agg(sequence || ':' || encode(record, 'hex'), ',' ORDER BY sequence)) FROM \(s).events) || ' '
                || coalesce((SELECT md5(string_agg(handler || ':' || sequence, ',' ORDER BY handler)) FROM \(s).checkpoints), '-') || ' '
                || coalesce((SELECT md5(string_agg(sequence || ':' || encode(frame, 'hex'), ',' ORDER BY sequence)) FROM \(s).snapshots), '-')
            """)
    }
}
