public import ShiftlogCore
public import ShiftlogEngine
public import ShiftlogStore
import Synchronization

/// A log opened read-only, with no service running (`shiftlog console --path COPY`): the
/// projections are folded once at start, then only what was appended since (a PostgreSQL log
/// that running instances still write) is folded on the next read. "Now" is the time of the
/// log's last event, so ages read as they did when the copy was taken.
public final class LogConsoleSource: ConsoleSource {
    private let store: any EventStore
    private let folded: Mutex<LifecycleState>

    /// Folds `store` (its latest snapshot, then the tail).
    ///
    /// - Throws: the store's error when it cannot be read.
    public init(store: any EventStore) throws {
        self.store = store
        folded = Mutex(try Replay.load(store).state)
    }

    public func state() throws -> LifecycleState {
        let current = folded.withLock { $0 }
        guard try store.lastSequence() > current.lastSequence else { return current }
        let next = try Replay.fold(store, into: current)
        folded.withLock { if next.lastSequence > $0.lastSequence { $0 = next } }
        return next
    }

    public var log: any EventLog { store }
    public func now(of state: LifecycleState) -> Timestamp { state.lastEventTime ?? Timestamp(millisecondsSinceEpoch: 0) }
    public func rules(of state: LifecycleState) -> LifecycleConfiguration { state.configuration ?? LifecycleConfiguration() }
    public var handlers: [HandlerStatus] { [] }
    public var isLeading: Bool { false }
    public var streamsEvents: Bool { false }
}
