import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Synchronization

/// The projections as they stood after a given event, for pages `?at=` a past point: folded
/// from the newest snapshot at or before it (when the log keeps snapshots) or from the start,
/// and kept, so that stepping forward one event folds one event.
final class PastStates: Sendable {
    private let last = Mutex<LifecycleState?>(nil)

    /// The projections after event `sequence` of `log`.
    func state(of log: any EventLog, through sequence: UInt64) throws -> LifecycleState {
        if let kept = last.withLock({ $0 }), kept.lastSequence <= sequence {
            let state = kept.lastSequence == sequence ? kept : try Replay.fold(log, into: kept, until: sequence)
            last.withLock { $0 = state }
            return state
        }
        let state = try (log as? any EventStore).map { try Replay.state(of: $0, through: sequence) }
            ?? Replay.fold(log, until: sequence)
        last.withLock { $0 = state }
        return state
    }
}

/// A source as it stood after one event: the past projections, the log up to that event, no
/// handlers, no stream, and "now" the time of that event.
struct PastSource: ConsoleSource {
    let base: any ConsoleSource
    let past: LifecycleState
    let prefix: LogPrefix

    func state() -> LifecycleState { past }
    var log: any EventLog { prefix }
    func now(of state: LifecycleState) -> Timestamp { state.lastEventTime ?? Timestamp(millisecondsSinceEpoch: 0) }
    func rules(of state: LifecycleState) -> LifecycleConfiguration { state.configuration ?? base.rules(of: state) }
    var handlers: [HandlerStatus] { [] }
    var isLeading: Bool { false }
    var streamsEvents: Bool { false }
}
