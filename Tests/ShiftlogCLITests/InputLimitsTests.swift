import Foundation
import Testing

/// Issue 12: inputs that used to trap. Times with more than three fraction digits, numeric
/// options that overflow, and a log holding `Int64.max` values written before they were
/// range-checked.
@Suite struct InputLimitsTests {
    static let demoLog = ShiftlogBinary.root.appendingPathComponent("Fixtures/Logs/demo.jsonl").path

    private func withImportedLog(_ file: String = Self.demoLog, _ body: (String) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-limits-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["import", file, "--path", folder])
        try #require(status == 0, "\(output)")
        try await body(folder)
    }

    @Test func timesWithMicrosecondsAreTruncatedToTheMillisecond() async throws {
        try await withImportedLog { log in
            let state = try await ShiftlogBinary.run(["state", "--path", log, "--at", "2026-03-01T09:05:00.123456Z"])
            let reference = try await ShiftlogBinary.run(["state", "--path", log, "--at", "2026-03-01T09:05:00.123Z"])
            #expect(state.status == 0, "\(state.output)")
            #expect(state.output == reference.output)
            let events = try await ShiftlogBinary.run(["events", "--path", log, "--since", "2026-03-01T09:05:00.1234Z"])
            #expect(events.status == 0, "\(events.output)")
        }
    }

    @Test(arguments: [
        ["what-if", "--stale-threshold", "9223372036854775807"],
        ["what-if", "--cooldown-seconds", "9223372036854775807"],
        ["what-if", "--verification-stale-threshold=-1"],
        ["what-if", "--max-workers", "9223372036854775807"],
        ["what-if", "--daily-budget=-3"],
        ["what-if", "--max-retries", "9223372036854775807"],
        ["what-if", "--verification-max-retries=-1"],
        ["what-if", "--retry-backoff-seconds", "60,9223372036854775807"],
        ["timeline", "worker-3", "--stale-threshold", "9223372036854775807"],
        ["timeline", "worker-3", "--stale-threshold", "0"],
    ])
    func anOutOfRangeOptionIsAUsageError(_ arguments: [String]) async throws {
        try await withImportedLog { log in
            let ending = try await ShiftlogBinary.runReportingEnding(arguments + ["--path", log])
            #expect(!ending.signalled)
            #expect(ending.status == 64, "\(ending.error)")
            // The setting's own message, naming the flag and the range.
            #expect(ending.error.contains("is out of range: use "), "\(ending.error)")
        }
    }

    @Test func generateRefusesOutOfRangeOptions() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-limits-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for option in [["--snapshot-interval", "18446744073709551615"], ["--concurrency=-1"], ["--events", "0"]] {
            let ending = try await ShiftlogBinary.runReportingEnding(["generate", "--path", folder] + option)
            #expect(ending.status == 64 && !ending.signalled, "\(option): \(ending.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/data.mdb"))
    }

    /// A log imported before the range checks, holding an `Int64.max` heartbeat on two
    /// completed workers, then a week of log time: every inspection still folds it.
    @Test func aLogHoldingInt64MaxIterationsIsInspectedWithoutTrapping() async throws {
        let lines = try String(contentsOfFile: Self.demoLog, encoding: .utf8)
            .replacing(#/"iteration":[0-9]+/#, with: #""iteration":9223372036854775807"#)
            .split(separator: "\n")
        // The last event again, a week later (retirement runs at its time).
        var last = String(lines.last!)
        let sequence = lines.count  // the header is line 1, so the new event is number `count`
        last = last.replacing(#/"sequence":[0-9]+/#, with: "\"sequence\":\(sequence)")
            .replacing(#/"time":"[^"]+"/#, with: #""time":"2026-03-09T00:00:00.000Z""#)
        let file = NSTemporaryDirectory() + "shiftlog-limits-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try (lines.joined(separator: "\n") + "\n" + last + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try await withImportedLog(file) { log in
            for command in [["state"], ["state", "--json"], ["replay"], ["verify"], ["what-if", "--max-retries", "0"], ["timeline", "worker-1"]] {
                let ending = try await ShiftlogBinary.runReportingEnding(command + ["--path", log])
                #expect(!ending.signalled, "\(command) died of signal \(ending.status)")
                #expect(ending.status == 0, "\(command): \(ending.error)")
            }
        }
    }
}
