import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// A log written before binary payloads: `Fixtures/Logs/format-1/data.mdb` was written by the
/// build before them (`shiftlog generate --events 600 --snapshot-interval 250 --seed 7`, then
/// `mdb_copy -c`), with JSON payloads and a JSON snapshot; `format-1.state.json` is what
/// that build printed for `state --json`.
@Suite struct FormatOneLogTests {
    static let fixture = InspectCommandTests.fixtures.appendingPathComponent("Logs/format-1").path
    static let expectedState = InspectCommandTests.fixtures.appendingPathComponent("Logs/format-1.state.json").path

    @Test func aFormatOneLogReadsAsTheBuildThatWroteItReadIt() async throws {
        let (status, output) = try await ShiftlogBinary.run(["state", "--path", Self.fixture, "--json"])
        #expect(status == 0)
        #expect(output == (try String(contentsOfFile: Self.expectedState, encoding: .utf8)))
        let (replayStatus, replay) = try await ShiftlogBinary.run(["replay", "--path", Self.fixture])
        #expect(replayStatus == 0, "\(replay)")
        #expect(replay.contains("snapshot #602: equals the fold"), "its JSON snapshot is read and checked")
    }

    @Test func appendingToAFormatOneLogMarksItFormatTwoAndKeepsBothKindsReadable() async throws {
        let copy = try FixtureLogCopy(of: Self.fixture)
        defer { copy.remove() }
        let folder = copy.folder
        let before = try copy.fold()
        let engine = try copy.openEngine(after: before, configuration: EngineConfiguration())
        let added = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "After the upgrade"))
        await engine.close()

        let log = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        let after = try Replay.fold(log)
        #expect(after.lastSequence > before.lastSequence)
        #expect(after.workItems[added.id]?.spec == "After the upgrade")
        #expect(try log.read(after: 0, limit: 1).count == 1, "the JSON records before still decode")
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 0, "\(output)")
        await #expect(try storedFormatVersion(folder) == #"\00\00\00\02"#, "an older build now refuses it by name")
    }

    /// `meta/formatVersion` as `mdb_dump -p` prints it (lmdb-utils, installed by `.ci/run`).
    private func storedFormatVersion(_ folder: String) async throws -> String? {
        let lines = try await ChildRun.output("/usr/bin/mdb_dump", ["-p", "-s", "meta", folder])
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.firstIndex(of: "formatVersion").map { lines[$0 + 1] }
    }
}
