import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogInspect
import ShiftlogStore

/// Replay from LMDB into the projections, and opening a large log with and without its
/// latest projection snapshot, on a log written by `LogGenerator` (the same generator as
/// `shiftlog generate`).
enum ReplayAndOpen {
    static func run(events: UInt64, rounds: Int) throws -> [Measurement] {
        let folder = temporaryFolder("replay")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var generator = LogGenerator(events: events)
        generator.snapshotInterval = 100_000
        try generator.write(to: try LMDBEventLog(path: folder))
        return try run(log: folder, rounds: rounds)
    }

    /// Replay and open of the log in `folder`, which is only read: the median of `rounds`.
    static func run(log folder: String, rounds: Int) throws -> [Measurement] {
        let each = try (0..<max(rounds, 1)).map { _ in try run(log: folder) }
        return (0..<3).map { index in Measurement.median(of: each.map { $0[index] }) }
    }

    private static func run(log folder: String) throws -> [Measurement] {
        let log = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        let total = try log.lastSequence()
        let label = total >= 1_000_000 ? "\(total / 1_000_000)M" : "\(total / 1_000)k"

        var started = ContinuousClock.now
        let folded = try Replay.fold(log)
        let fold = Measurement(name: "replay \(label) events from scratch", operations: Int(folded.lastSequence), seconds: (ContinuousClock.now - started).seconds)

        started = ContinuousClock.now
        let (opened, snapshot) = try Replay.load(log)
        let openSeconds = (ContinuousClock.now - started).seconds
        precondition(opened.lastSequence == folded.lastSequence)  // and both states live until here: freeing is not opening
        let open = Measurement(
            name: "open \(label)-event log with snapshot", operations: 1, seconds: openSeconds,
            note: "snapshot at #\(snapshot), tail \(total - snapshot) events")
        let openWithout = Measurement(
            name: "open \(label)-event log without snapshot", operations: 1, seconds: fold.seconds,
            note: "a full fold")
        return [fold, open, openWithout]
    }
}

/// Resident memory of the projections holding `workers` workers (each with its item), built
/// by deciding and recording the commands as the engine would, without a log.
enum ProjectionMemory {
    static func run(workers: Int) throws -> Measurement {
        let before = residentBytes()
        let started = ContinuousClock.now
        var state = LifecycleState()
        var configuration = LifecycleConfiguration()
        configuration.maxWorkers = .max
        let context = DecisionContext(now: Timestamp(iso8601: "2026-03-01T00:00:00Z")!, ids: SequentialIDs(), configuration: configuration)
        for i in 0..<workers {
            let added = try decide(.addWorkItem(NewWorkItem(repo: "acme/repo-\(i % 100)", spec: "Fix issue \(i)")), state: state, context: context)
            _ = state.record(added.events, at: context.now, correlationId: "cmd-\(2 * i)")
            let registered = try decide(.register(workItemId: "item-\(i + 1)"), state: state, context: context)
            _ = state.record(registered.events, at: context.now, correlationId: "cmd-\(2 * i + 1)")
        }
        let after = residentBytes()
        let seconds = (ContinuousClock.now - started).seconds
        precondition(state.workers.count == workers)
        return Measurement(
            name: "projections with \(workers / 1_000)k workers", operations: workers, seconds: seconds,
            note: "resident memory +\((after - before) / (1 << 20)) MiB, \((after - before) / workers) bytes a worker with its item")
    }
}
