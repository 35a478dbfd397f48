import Foundation
import SnapshotTesting
import Testing

/// The inspection commands run as a user runs them, on the fixture log
/// `Fixtures/Logs/demo.jsonl` (imported into a fresh LMDB folder) and on damaged copies of
/// it. Each output is compared with `Fixtures/CLI/<case>.txt`; re-record with
/// `SNAPSHOT_TESTING_RECORD=all swift test`.
@Suite struct InspectCommandTests {
    static let fixtures = ShiftlogBinary.root.appendingPathComponent("Fixtures")
    static let demoLog = fixtures.appendingPathComponent("Logs/demo.jsonl").path

    /// A case: the arguments (`<log>` stands for the imported log) and the expected status.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        var status: Int32
        /// The JSON-lines file imported as `<log>`, under `Fixtures/`.
        var source = "Logs/demo.jsonl"
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "events-table", arguments: ["events", "--path", "<log>"], status: 0),
        Case(name: "events-worker-json", arguments: ["events", "--path", "<log>", "--worker", "worker-3", "--json"], status: 0),
        Case(name: "events-item-filtered", arguments: ["events", "--path", "<log>", "--item", "item-1", "--type", "locksAcquired", "--type", "workerCompleted"], status: 0),
        Case(name: "events-time-range", arguments: ["events", "--path", "<log>", "--since", "2026-03-01T09:09:00Z", "--until", "2026-03-01T09:10:30Z"], status: 0),
        Case(name: "state-at-time", arguments: ["state", "--path", "<log>", "--at", "2026-03-01T09:05:00Z"], status: 0),
        Case(name: "state-json", arguments: ["state", "--path", "<log>", "--json"], status: 0),
        Case(name: "timeline-worker", arguments: ["timeline", "worker-3", "--path", "<log>"], status: 0),
        Case(name: "timeline-item", arguments: ["timeline", "item-2", "--path", "<log>"], status: 0),
        Case(name: "timeline-json", arguments: ["timeline", "worker-3", "--path", "<log>", "--json"], status: 0),
        Case(name: "replay", arguments: ["replay", "--path", "<log>"], status: 0),
        Case(name: "replay-until", arguments: ["replay", "--path", "<log>", "--until", "20", "--json"], status: 0),
        Case(name: "diff", arguments: ["diff", "--path", "<log>", "--from", "20", "--to", "27"], status: 0),
        Case(name: "what-if-stale-threshold", arguments: ["what-if", "--path", "<log>", "--stale-threshold", "900"], status: 0),
        Case(name: "what-if-same-rules", arguments: ["what-if", "--path", "<log>"], status: 0),
        Case(name: "what-if-retries-json", arguments: ["what-if", "--path", "<log>", "--max-retries", "0", "--json"], status: 0),
        Case(name: "what-if-deadline", arguments: ["what-if", "--path", "<log>", "--deadline-seconds", "240"], status: 0),
        Case(name: "what-if-attempt-timeout-jitter", arguments: ["what-if", "--path", "<log>", "--attempt-timeout-seconds", "120", "--retry-jitter", "0.5"], status: 0),
        Case(name: "what-if-non-retryable", arguments: ["what-if", "--path", "<log>", "--retry-non-retryable", "EXECUTION_ERROR,TIMEOUT"], status: 0),
        Case(name: "verify", arguments: ["verify", "--path", "<log>"], status: 0),
        // An incident slice kept as a regression fixture: item-3's worker, killed as stale.
        Case(name: "incident-timeline", arguments: ["timeline", "item-3", "--path", "<log>"], status: 0,
             source: "Incidents/stale-kill-item-3.jsonl"),
        Case(name: "incident-what-if", arguments: ["what-if", "--path", "<log>", "--stale-threshold", "900"], status: 0,
             source: "Incidents/stale-kill-item-3.jsonl"),
        // Issue 18: a running item's cancel (request, grace, stop, end) and a reported end left
        // to exit, from a log `serve` wrote; and the retry rules and time limits of items.
        Case(name: "timeline-cancel", arguments: ["timeline", "1a605834-fa5b-4efa-95a0-1cd90332d68c", "--path", "<log>"], status: 0,
             source: "Logs/cancel-and-graces.jsonl"),
        Case(name: "timeline-end-left-to-exit", arguments: ["timeline", "cbb9ad78-af08-49fa-992e-504caae06ea9", "--path", "<log>"],
             status: 0, source: "Logs/cancel-and-graces.jsonl"),
        Case(name: "what-if-cancel-grace", arguments: ["what-if", "--path", "<log>", "--cancel-grace-seconds", "60"], status: 0,
             source: "Logs/cancel-and-graces.jsonl"),
        Case(name: "timeline-deadline", arguments: ["timeline", "item-5", "--path", "<log>"], status: 0,
             source: "Logs/policies-and-limits.jsonl"),
        Case(name: "timeline-retried-by-hand", arguments: ["timeline", "item-1", "--path", "<log>"], status: 0,
             source: "Logs/policies-and-limits.jsonl"),
        Case(name: "what-if-no-deadlines", arguments: ["what-if", "--path", "<log>", "--max-retries", "3"], status: 0,
             source: "Logs/policies-and-limits.jsonl"),
        // Errors: one line on standard error, a meaningful status.
        Case(name: "error-missing", arguments: ["events", "--path", "<log>-nowhere"], status: 66),
        Case(name: "error-unknown-id", arguments: ["timeline", "worker-99", "--path", "<log>"], status: 66),
        Case(name: "error-bad-type", arguments: ["events", "--path", "<log>", "--type", "workerExploded"], status: 64),
        Case(name: "error-bad-point", arguments: ["state", "--path", "<log>", "--at", "yesterday"], status: 64),
    ]

    @Test(arguments: cases)
    func command(_ testCase: Case) async throws {
        try await withImportedLog(testCase.source) { log in
            let arguments = testCase.arguments.map { $0.replacingOccurrences(of: "<log>", with: log) }
            let (status, output) = try await ShiftlogBinary.run(arguments)
            #expect(status == testCase.status, "\(output)")
            assertGolden(output.replacingOccurrences(of: log, with: "<log>"), named: testCase.name)
        }
    }

    @Test func exportOfAnImportIsTheSameFileByteForByte() async throws {
        try await withImportedLog { log in
            let (status, output) = try await ShiftlogBinary.run(["export", "--path", log])
            #expect(status == 0)
            #expect(output == (try String(contentsOfFile: Self.demoLog, encoding: .utf8)))
        }
    }

    @Test func aLiveLogRoundTripsThroughJSONLinesToTheSameRecords() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-roundtrip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try await ShiftlogBinary.run(["demo", "--path", folder + "/original"]).status == 0)
        #expect(try await ShiftlogBinary.run(["export", "--path", folder + "/original", "-o", folder + "/log.jsonl"]).status == 0)
        #expect(try await ShiftlogBinary.run(["import", folder + "/log.jsonl", "--path", folder + "/copy"]).status == 0)
        // Every event record (key and value) of the copy equals the original's.
        let original = try await ShiftlogBinary.run(["events", "--path", folder + "/original", "--json"]).output
        let copy = try await ShiftlogBinary.run(["events", "--path", folder + "/copy", "--json"]).output
        #expect(original == copy)
        await #expect(try RecordDump.records(folder + "/original") == RecordDump.records(folder + "/copy"))
    }

    @Test func importRefusesABadFileNamingTheLineAndWritesNothing() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-badimport-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var lines = try String(contentsOfFile: Self.demoLog, encoding: .utf8).split(separator: "\n").map(String.init)
        let cases: [(String, [String], String)] = [
            ("payload", { var l = lines; l[5] = l[5].replacingOccurrences(of: "\"workItemId\"", with: "\"itemId\""); return l }(),
             "shiftlog: line 6: workerSpawned payload does not decode: missing field 'workItemId'"),
            ("gap", { var l = lines; l.remove(at: 7); return l }(),
             "shiftlog: line 8: sequence 8 where 7 was expected (a slice? import it with --renumber)"),
            ("type", { var l = lines; l[3] = l[3].replacingOccurrences(of: "\"type\":\"workItemAdded\"", with: "\"type\":\"workItemExploded\""); return l }(),
             "shiftlog: line 4: unknown event type 'workItemExploded'"),
            ("header", Array(lines.dropFirst()), "shiftlog: line 1: not a Shiftlog export: the first line must be {\"format\":\"shiftlog-events\",\"version\":1}"),
            ("json", { var l = lines; l[9] = String(l[9].dropLast(3)); return l }(), "shiftlog: line 10: "),
        ]
        for (name, content, message) in cases {
            let file = folder + "/\(name).jsonl"
            try (content.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let (status, output) = try await ShiftlogBinary.run(["import", file, "--path", folder + "/\(name)-db"])
            #expect(status == 65, "\(name): \(output)")
            #expect(output.hasPrefix(message), "\(name): \(output)")
            #expect(output.split(separator: "\n").count == 1, "\(name): one line, got \(output)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/\(name)-db"), "\(name): something was written")
        }
        lines = []
        // An existing destination is refused too.
        let (status, output) = try await ShiftlogBinary.run(["import", Self.demoLog, "--path", folder])
        #expect(status == 73)
        #expect(output.contains("exists and is not empty"))
    }

    @Test func aSliceImportsRenumberedAndKeepsItsRules() async throws {
        try await withImportedLog { log in
            let slice = log + "-slice.jsonl"
            defer { try? FileManager.default.removeItem(atPath: slice); try? FileManager.default.removeItem(atPath: log + "-slice") }
            #expect(try await ShiftlogBinary.run(["export", "--path", log, "--item", "item-3", "-o", slice]).status == 0)
            let refused = try await ShiftlogBinary.run(["import", slice, "--path", log + "-slice"])
            #expect(refused.status == 65)
            let imported = try await ShiftlogBinary.run(["import", slice, "--path", log + "-slice", "--renumber"])
            #expect(imported.status == 0, "\(imported.output)")
            let timeline = try await ShiftlogBinary.run(["timeline", "worker-3", "--path", log + "-slice"])
            #expect(timeline.output.contains("stale threshold 5m (recorded at #1)"), "\(timeline.output)")
        }
    }

    @Test func damagedFilesAreOneLineErrors() async throws {
        try await withImportedLog { log in
            let data = try Data(contentsOf: URL(fileURLWithPath: log + "/data.mdb"))
            func damaged(_ name: String, _ bytes: Data) throws -> String {
                let folder = log + "-\(name)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try bytes.write(to: URL(fileURLWithPath: folder + "/data.mdb"))
                return folder
            }
            // Truncated: half the file.
            let truncated = try damaged("truncated", data.prefix(data.count / 2))
            var result = try await ShiftlogBinary.run(["events", "--path", truncated])
            #expect(result.status == 65)
            #expect(result.output.contains("data.mdb is truncated"), "\(result.output)")
            // Not LMDB at all.
            let garbage = try damaged("garbage", Data(repeating: 0x5A, count: 65_536))
            result = try await ShiftlogBinary.run(["state", "--path", garbage])
            #expect(result.status == 65)
            #expect(result.output == "shiftlog: \(garbage): data.mdb is not an LMDB database file\n")
            // A flipped byte inside an event: the checksum catches it.
            var flipped = data
            let marker = Data("acme/docs".utf8)
            let at = try #require(flipped.range(of: marker)).lowerBound
            flipped[at] = UInt8(ascii: "X")
            let corrupt = try damaged("corrupt", flipped)
            result = try await ShiftlogBinary.run(["events", "--path", corrupt])
            #expect(result.status == 65)
            #expect(result.output.contains("checksum mismatch"), "\(result.output)")
            // The report, then the damage named in one line on standard error, exit 65.
            let verified = try await ShiftlogBinary.runReportingEnding(["verify", "--path", corrupt])
            #expect(verified.status == 65)
            #expect(verified.output.contains("FAIL  checksums and decoding: event 4: checksum mismatch"), "\(verified.output)")
            #expect(verified.error.hasPrefix("shiftlog: \(corrupt): the log is damaged (event 4: checksum mismatch"), "\(verified.error)")
            #expect(verified.error.hasSuffix("; restore it from a copy\n") && verified.error.split(separator: "\n").count == 1, "\(verified.error)")
            for folder in [truncated, garbage, corrupt] { try? FileManager.default.removeItem(atPath: folder) }
        }
    }

    @Test func inspectingACopiedDataFileChangesNothingBesideIt() async throws {
        try await withImportedLog { log in
            let copy = log + "-copy"
            defer { try? FileManager.default.removeItem(atPath: copy) }
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: log + "/data.mdb", toPath: copy + "/data.mdb")
            let before = try Data(contentsOf: URL(fileURLWithPath: copy + "/data.mdb"))
            for arguments in [["events"], ["state"], ["timeline", "item-2"], ["replay"], ["verify"], ["what-if", "--max-workers", "1"], ["diff", "--from", "1", "--to", "30"]] {
                let (status, output) = try await ShiftlogBinary.run(arguments + ["--path", copy])
                #expect(status == 0, "\(arguments): \(output)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: copy) == ["data.mdb"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: copy + "/data.mdb")) == before)
        }
    }

    @Test func everySubcommandHasHelpThatTeaches() async throws {
        for command in ["events", "state", "timeline", "replay", "diff", "what-if", "export", "import", "verify", "generate"] {
            let (status, output) = try await ShiftlogBinary.run([command, "--help"])
            #expect(status == 0)
            #expect(output.contains("Example"), "\(command) --help has no example")
        }
    }

    // MARK: Helpers

    private func withImportedLog(_ source: String = "Logs/demo.jsonl", _ body: (String) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-inspect-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = Self.fixtures.appendingPathComponent(source).path
        let (status, output) = try await ShiftlogBinary.run(["import", file, "--path", folder] + (source.hasPrefix("Incidents/") ? ["--renumber"] : []))
        try #require(status == 0, "\(output)")
        try await body(folder)
    }

    private func assertGolden(_ output: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        // Timings vary from run to run; everything else must not.
        let stable = output
            .replacing(#/in [0-9.]+ s \([0-9.]+[kM]? events/s\)/#, with: "in <seconds> s (<rate> events/s)")
            .replacing(#/"(seconds|eventsPerSecond)" : [0-9.e+-]+/#) { "\"\($0.output.1)\" : 0" }
        var strategy = Snapshotting<String, String>.lines
        strategy.pathExtension = "txt"
        if let failure = verifySnapshot(
            of: stable, as: strategy, named: name,
            snapshotDirectory: Self.fixtures.appendingPathComponent("CLI").path, testName: "shiftlog")
        {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }
}

/// The raw event records of a log, read with `mdb_dump` (Debian's lmdb-utils), to compare
/// two logs below the level of any Shiftlog code.
enum RecordDump {
    /// The entries of one of an LMDB folder's databases (`events` unless told), as
    /// `mdb_dump` prints them, without the header (it holds the map size, which differs).
    static func records(_ folder: String, table: String = "events") async throws -> String {
        try await ChildRun.output("/usr/bin/mdb_dump", ["-s", table, folder]).components(separatedBy: "HEADER=END\n").last ?? ""
    }
}
