public import ShiftlogCore
import Synchronization

/// A clock that moves only when told to: for tests, scenarios and the demo.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Timestamp>

    /// A clock that reads `start` until it is moved.
    public init(_ start: Timestamp) {
        current = Mutex(start)
    }

    /// The time it was last set to.
    public func now() -> Timestamp { current.withLock { $0 } }

    /// Moves the clock to `time` (never backwards).
    public func set(_ time: Timestamp) {
        current.withLock { $0 = max($0, time) }
    }

    /// Moves the clock forward.
    public func advance(seconds: Int64) {
        current.withLock { $0 = $0.adding(seconds: seconds) }
    }
}
