import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore

/// A copy of a fixture log's `data.mdb` in a folder of its own (a test never writes the
/// fixture itself), opened as the current release opens a log an earlier one wrote.
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

    /// An engine on the copy that writes a snapshot after every batch, its clock a minute after
    /// the last event of `state` (the copy's fold), with no effect handlers.
    func openEngine(after state: LifecycleState) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.snapshotInterval = 1
        return try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration,
            clock: ManualTimeSource(state.lastEventTime!.adding(seconds: 60)), startHandlers: false)
    }
}
