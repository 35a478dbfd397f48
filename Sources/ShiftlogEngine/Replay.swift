public import ShiftlogCore
public import ShiftlogStore
import Foundation

/// Folds a log into projections. Replay calls no effect handler: it only reads events.
public enum Replay {
    /// Folds the events after `state.lastSequence` (up to `until`) into `state`, reading and
    /// decoding the next batch on another thread meanwhile (ShiftlogStore's `EventLog.scan`).
    public static func fold(
        _ log: any EventLog, into state: LifecycleState = LifecycleState(), until: UInt64 = .max,
        batchSize: Int = 4_096, progress: ((UInt64) -> Void)? = nil
    ) throws -> LifecycleState {
        var state = state
        try log.scan(after: state.lastSequence, through: until, batchSize: batchSize) { batch in
            for event in batch { state.apply(event) }
            progress?(state.lastSequence)
            return true
        }
        return state
    }

    /// Loads the latest snapshot and folds the tail after it. A snapshot that cannot be
    /// decoded is ignored and the whole log is folded instead, and so is one of an older
    /// layout (or JSON): it lacks what the current layout holds (each item's arrival order),
    /// and the engine's state must equal a full fold.
    public static func load(_ log: any EventLog & SnapshotStore) throws -> (state: LifecycleState, snapshot: UInt64) {
        var start = LifecycleState()
        var snapshotSequence: UInt64 = 0
        if let snapshot = try? log.latestSnapshot(), let decoded = usable(snapshot) {
            start = decoded
            snapshotSequence = snapshot.sequence
        }
        return (try fold(log, into: start), snapshotSequence)
    }

    /// The projections as they stood after event `sequence`: the newest usable snapshot at or
    /// before it, then the events up to it (for a page of the console `?at=` a past point).
    public static func state(of store: any EventStore, through sequence: UInt64) throws -> LifecycleState {
        let start = try store.snapshots().last { $0.sequence <= sequence }.flatMap(usable) ?? LifecycleState()
        return try fold(store, into: start, until: sequence)
    }

    /// The snapshot's state, when it decodes in the current layout and says what it claims to.
    private static func usable(_ snapshot: StoredSnapshot) -> LifecycleState? {
        guard ProjectionSnapshotCodec.layout(of: snapshot.bytes) == ProjectionSnapshotCodec.currentLayout,
            let decoded = try? ProjectionSnapshotCodec.decode(snapshot.bytes), decoded.lastSequence == snapshot.sequence
        else { return nil }
        return decoded
    }
}
