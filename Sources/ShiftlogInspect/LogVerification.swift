import ShiftlogCore
public import ShiftlogStore
import Foundation

/// Everything `shiftlog verify` checks: each record's checksum and decoding, sequence
/// continuity, time order, that two folds give identical bytes, the replay checks
/// (snapshots, checkpoints, references), the lifecycle invariants after every event
/// (``LifecycleInvariants``), and stale LMDB reader slots (cleared). Works on any store: the
/// records are checked as the store hands them back undecoded (ShiftlogStore's
/// `EventStore.scanRecords(after:_:)`).
public struct LogVerification: Sendable, Codable {
    /// One check and its outcome.
    public struct Check: Sendable, Codable {
        /// What was checked, e.g. `sequence continuity`.
        public var name: String
        /// Whether the log passed it.
        public var passed: Bool
        /// What was found: a summary when it passed, the first problems when it did not.
        public var detail: String
    }

    /// Records scanned.
    public var events: UInt64
    /// The checks, in the order they ran; those that need readable records are skipped when the
    /// records fail.
    public var checks: [Check]
    /// When the stored records themselves are damaged (a record fails its checksum or does not
    /// decode, a sequence is missing, or the scan read fewer records than the store counts),
    /// the first such problem; `nil` otherwise. A damaged log is a data error (`verify` exits
    /// 65), where a readable log that breaks a rule is a failed check (exit 1).
    public var damage: String?

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// Runs every check on `log`. `progress` is called with the stage's name and the sequence
    /// reached.
    ///
    /// - Throws: the store's error when the log cannot be read; a damaged record is a failed
    ///   check, not an error.
    public static func run(_ log: any EventStore, progress: ((String, UInt64) -> Void)? = nil) throws -> LogVerification {
        var checks: [Check] = []

        // 1. Records: key shape, continuity, checksum, decoding, time order.
        var expected: UInt64 = 1
        var recordProblems: [String] = []
        var gaps: [String] = []
        var timeProblems: [String] = []
        var previousTime: Timestamp?
        var count: UInt64 = 0
        // What the store counts (LMDB: the B-tree's own entry count), before and after the
        // scan: a live log only grows, so what the scan reads lies between the two. Fewer
        // means records the scan never reached (a damaged page that looks like the end).
        let countedBefore = UInt64(try log.eventCount())
        try log.scanRecords(after: 0) { key, record in
            count += 1
            if count % 65_536 == 0 { progress?("records", count) }
            do {
                let event = try StoredRecord.decode(key: key, record)
                if event.sequence != expected {
                    if gaps.count < 10 { gaps.append("expected #\(expected), found #\(event.sequence)") }
                }
                expected = event.sequence + 1
                if let previousTime, event.time < previousTime, timeProblems.count < 10 {
                    timeProblems.append("#\(event.sequence) at \(event.time.iso8601) is before the event ahead of it")
                }
                previousTime = event.time
            } catch {
                if recordProblems.count < 10 { recordProblems.append("\(error)") }
                expected += 1
            }
            return true
        }
        let countedAfter = UInt64(try log.eventCount())
        if count < countedBefore || count > countedAfter {
            gaps.append("read \(count) records, but the store counts \(countedBefore == countedAfter ? "\(countedAfter)" : "\(countedBefore)…\(countedAfter)")")
        }
        checks.append(Check(
            name: "checksums and decoding", passed: recordProblems.isEmpty,
            detail: recordProblems.isEmpty ? "\(count) records verified" : recordProblems.joined(separator: "; ")))
        checks.append(Check(
            name: "sequence continuity", passed: gaps.isEmpty,
            detail: gaps.isEmpty ? (count == 0 ? "empty log" : "#1…#\(count), no gaps") : gaps.joined(separator: "; ")))
        checks.append(Check(
            name: "time order", passed: timeProblems.isEmpty,
            detail: timeProblems.isEmpty ? "times never go backwards" : timeProblems.joined(separator: "; ")))
        guard recordProblems.isEmpty, gaps.isEmpty else {
            return LogVerification(events: count, checks: checks, damage: (recordProblems + gaps).first)
        }

        // 2. Replay: snapshots, checkpoints, references; then a second fold for determinism.
        let (state, replay) = try ReplayCheck.run(log) { progress?("fold 1", $0) }
        let snapshotProblems = replay.snapshots.filter { !$0.matches }
        checks.append(Check(
            name: "snapshots", passed: snapshotProblems.isEmpty,
            detail: replay.snapshots.isEmpty
                ? "none stored"
                : snapshotProblems.isEmpty
                    ? "\(replay.snapshots.count) equal the fold (at \(replay.snapshots.map { "#\($0.sequence)" }.joined(separator: ", ")))"
                    : snapshotProblems.map { "#\($0.sequence) differs: \($0.diff.prefix(3).joined(separator: "; "))" }.joined(separator: "; ")))
        let checkpointProblems = replay.checkpoints.compactMap { check in check.problem.map { "\(check.handler): \($0)" } }
        checks.append(Check(
            name: "handler checkpoints", passed: checkpointProblems.isEmpty,
            detail: checkpointProblems.isEmpty
                ? (replay.checkpoints.isEmpty ? "none stored" : replay.checkpoints.map { "\($0.handler) at #\($0.sequence)" }.joined(separator: ", "))
                : checkpointProblems.joined(separator: "; ")))
        checks.append(Check(
            name: "references", passed: replay.problems.isEmpty,
            detail: replay.problems.isEmpty
                ? "every event names workers and items that exist"
                : replay.problems.prefix(5).map { "#\($0.sequence): \($0.message)" }.joined(separator: "; ")))
        let violation = try LifecycleInvariants.firstViolation(in: log) { progress?("invariants", $0) }
        checks.append(Check(
            name: "lifecycle invariants", passed: violation == nil,
            detail: violation.map(\.description)
                ?? "after every command: no lock held by a finished worker, active ≤ maximum, every in-progress item has an active worker, iterations never go backwards"))
        let again = try ReplayCheck.run(log) { progress?("fold 2", $0) }.state
        let first = ProjectionSnapshotCodec.encode(state)
        let second = ProjectionSnapshotCodec.encode(again)
        checks.append(Check(
            name: "deterministic replay", passed: first == second,
            detail: first == second ? "two folds give identical bytes (\(first.count) bytes)" : "two folds differ"))

        // 3. Reader slots left by dead processes (LMDB's reader table; other stores have none).
        if let lmdb = log as? LMDBEventLog {
            let cleared = try lmdb.clearStaleReaders()
            checks.append(Check(
                name: "stale readers", passed: true,
                detail: lmdb.isLockless ? "no lock.mdb beside the file: no reader table" : "\(cleared) stale reader slot(s) cleared"))
        } else {
            checks.append(Check(name: "stale readers", passed: true, detail: "this store keeps no reader table"))
        }
        return LogVerification(events: count, checks: checks)
    }
}
