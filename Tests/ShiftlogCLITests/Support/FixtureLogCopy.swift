import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// A copy of a fixture log's `data.mdb` in a folder of its own (a test never writes the
/// fixture itself), opened as the current release opens a log an earlier one wrote; and the
/// checks every old-log test makes of the fixture itself through the built binary.
struct FixtureLogCopy {
    let folder: String

    init(of fixture: String) throws {
        folder = NSTemporaryDirectory() + "shiftlog-fixture-copy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture + "/data.mdb", toPath: folder + "/data.mdb")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The copy's projections, folded read-only.
    func fold() throws -> LifecycleState {
        try Replay.fold(LMDBEventLog(path: folder, options: .init(readOnly: true)))
    }

    /// An engine that writes a snapshot after every batch, for ``openEngine(after:configuration:)``.
    static var snapshottingEveryBatch: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.snapshotInterval = 1
        return configuration
    }

    /// An engine on the copy (by default one that writes a snapshot after every batch), its
    /// clock a minute after the last event of `state` (the copy's fold), with no effect handlers.
    func openEngine(after state: LifecycleState, configuration: EngineConfiguration = snapshottingEveryBatch) throws -> Engine {
        try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration,
            clock: ManualTimeSource(state.lastEventTime!.adding(seconds: 60)), startHandlers: false)
    }

    /// `state --json` of the log at `fixture`, parsed, and the JSON the writing build printed
    /// (in `expected`), parsed; with the output as printed.
    static func states(of fixture: String, expected: String) async throws -> (now: [String: Any], then: [String: Any], output: String) {
        let (status, output) = try await ShiftlogBinary.run(["state", "--path", fixture, "--json"])
        #expect(status == 0)
        let now = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let then = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: expected))) as? [String: Any])
        return (now, then, output)
    }

    /// `verify` passes on the log at `fixture`, and `replay` checks each snapshot at `snapshots`
    /// against the fold (`layout` names the snapshots' layout in the message).
    static func expectVerifiesAndReplays(_ fixture: String, snapshots: [UInt64], layout: String) async throws {
        let (verifyStatus, verify) = try await ShiftlogBinary.run(["verify", "--path", fixture])
        #expect(verifyStatus == 0, "\(verify)")
        let (replayStatus, replay) = try await ShiftlogBinary.run(["replay", "--path", fixture])
        #expect(replayStatus == 0, "\(replay)")
        for sequence in snapshots {
            #expect(replay.contains("snapshot #\(sequence): equals the fold"), "its \(layout) snapshot #\(sequence) is read and checked: \(replay)")
        }
    }
}
