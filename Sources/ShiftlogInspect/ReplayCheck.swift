import Foundation
public import ShiftlogCore
public import ShiftlogStore

/// Folds a log from scratch and checks what the log claims about itself: each stored
/// projection snapshot must equal the fold at its sequence, each handler checkpoint must
/// lie within the log with every container start it covers answered, and every event must
/// name workers and items that exist by then.
public struct ReplayCheck: Sendable, Codable {
    /// A stored snapshot compared with the fold at its sequence.
    public struct SnapshotCheck: Sendable, Codable {
        /// The snapshot's sequence.
        public var sequence: UInt64
        /// Whether it holds the same state as the fold.
        public var matches: Bool
        /// The structural diff from the snapshot to the fold, when they differ.
        public var diff: [String]
    }

    /// A handler's stored checkpoint, checked against the log.
    public struct CheckpointCheck: Sendable, Codable {
        /// The handler's name, e.g. `containers`.
        public var handler: String
        /// Its checkpoint: the last event it has applied.
        public var sequence: UInt64
        /// What is wrong with it (past the end of the log, or covering a container start with no
        /// outcome); `nil` when nothing is.
        public var problem: String?
    }

    /// An event that names a worker or item the fold does not hold at that point.
    public struct Problem: Sendable, Codable {
        /// The event's sequence.
        public var sequence: UInt64
        /// What it names that does not exist.
        public var message: String
    }

    /// Events folded.
    public var events: UInt64
    /// Wall-clock seconds the fold took.
    public var seconds: Double
    /// Events folded per second of wall-clock time.
    public var eventsPerSecond: Double
    /// Every stored snapshot up to the end of the replay, checked.
    public var snapshots: [SnapshotCheck]
    /// Every handler checkpoint, checked.
    public var checkpoints: [CheckpointCheck]
    /// Events that refer to a worker or item the state does not hold (first 20).
    public var problems: [Problem]
    /// The first sequence at which anything diverges; `nil` when everything agrees.
    public var firstDivergence: UInt64?

    /// Whether everything agrees.
    public var passed: Bool { firstDivergence == nil }

    /// Replays `log` (either store) up to `until` (default: its end). `progress` is called with the
    /// sequence reached after each batch.
    public static func run(
        _ log: any EventStore, until: UInt64? = nil, progress: ((UInt64) -> Void)? = nil
    ) throws -> (state: LifecycleState, check: ReplayCheck) {
        let end = try min(until ?? .max, log.lastSequence())
        let snapshots = try log.snapshots().filter { $0.sequence <= end }
        var pendingStarts = PendingStarts()
        var problems: [Problem] = []
        var state = LifecycleState()
        var snapshotChecks: [SnapshotCheck] = []
        var nextSnapshot = snapshots.startIndex
        let started = ContinuousClock.now

        func checkSnapshots() throws {
            while nextSnapshot < snapshots.endIndex, snapshots[nextSnapshot].sequence == state.lastSequence {
                let stored = snapshots[nextSnapshot]
                nextSnapshot += 1
                // Snapshots are the canonical encoding of the state: equal bytes, equal states.
                // One of an older layout is compared in that layout: what it cannot hold is
                // not its difference.
                let layout = ProjectionSnapshotCodec.layout(of: stored.bytes) ?? 1
                if ProjectionSnapshotCodec.encode(state, layout: layout) == stored.bytes {
                    snapshotChecks.append(SnapshotCheck(sequence: stored.sequence, matches: true, diff: []))
                    continue
                }
                let decoded: LifecycleState
                do {
                    decoded = try ProjectionSnapshotCodec.decode(stored.bytes)
                } catch {
                    snapshotChecks.append(SnapshotCheck(sequence: stored.sequence, matches: false, diff: ["the snapshot does not decode: \(error)"]))
                    continue
                }
                // Other bytes for the same state: a JSON snapshot from an earlier build.
                if ProjectionSnapshotCodec.encode(decoded, layout: layout) == ProjectionSnapshotCodec.encode(state, layout: layout) {
                    snapshotChecks.append(SnapshotCheck(sequence: stored.sequence, matches: true, diff: []))
                    continue
                }
                var diff = try StateDiff(from: decoded, to: state)
                if diff.isEmpty { diff.changes = [StateDiff.Change(path: "", kind: .changed, before: nil, after: nil)] }
                snapshotChecks.append(SnapshotCheck(sequence: stored.sequence, matches: diff.isEmpty, diff: diff.lines))
            }
        }

        try checkSnapshots()
        try log.scan(through: end) { batch in
            for recorded in batch {
                if problems.count < 20, let problem = Self.inconsistency(recorded, in: state) {
                    problems.append(Problem(sequence: recorded.sequence, message: problem))
                }
                pendingStarts.settle(by: recorded)
                state.apply(recorded)
                try checkSnapshots()
            }
            progress?(state.lastSequence)
            return true
        }
        let seconds = (ContinuousClock.now - started).seconds

        var checkpointChecks: [CheckpointCheck] = []
        let last = try log.lastSequence()
        for (handler, sequence) in try log.checkpoints().sorted(by: { $0.key < $1.key }) {
            var problem: String?
            if sequence > last {
                problem = "checkpoint #\(sequence) is past the end of the log (#\(last))"
            } else if handler == "containers", sequence <= end, let unanswered = pendingStarts.first(coveredBy: sequence) {
                problem = "covers #\(unanswered.sequence) (start \(unanswered.workerId)) but no outcome of that start is in the log"
            }
            checkpointChecks.append(CheckpointCheck(handler: handler, sequence: sequence, problem: problem))
        }

        let divergences = snapshotChecks.filter { !$0.matches }.map(\.sequence)
            + checkpointChecks.compactMap { $0.problem == nil ? nil : $0.sequence } + problems.map(\.sequence)
        let check = ReplayCheck(
            events: state.lastSequence, seconds: seconds,
            eventsPerSecond: seconds > 0 ? Double(state.lastSequence) / seconds : 0, snapshots: snapshotChecks,
            checkpoints: checkpointChecks, problems: problems, firstDivergence: divergences.min())
        return (state, check)
    }

    /// Why `recorded` does not fit `state`, if it does not: it names a worker or item that
    /// does not exist yet.
    static func inconsistency(_ recorded: RecordedEvent, in state: LifecycleState) -> String? {
        switch recorded.event {
        case .workItemAdded, .configurationRecorded: return nil
        case .workerRegistered(let e) where e.created:
            return state.workItems[e.workItemId] == nil ? "\(recorded.type) names work item \(e.workItemId), which does not exist" : nil
        case .workerSpawned(let e):
            return state.workItems[e.workItemId] == nil ? "\(recorded.type) names work item \(e.workItemId), which does not exist" : nil
        default:
            if let worker = recorded.event.workerId, state.workers[worker] == nil {
                return "\(recorded.type) names worker \(worker), which does not exist"
            }
            if let item = recorded.event.workItemIds.first(where: { state.workItems[$0] == nil }) {
                return "\(recorded.type) names work item \(item), which does not exist"
            }
            return nil
        }
    }
}
