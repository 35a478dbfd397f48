public import ShiftlogCore
import Foundation

/// The wall clock, for production.
public struct SystemTimeSource: TimeSource {
    /// The system clock.
    public init() {}

    /// The wall-clock time, to the millisecond (rounded down).
    public func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }
}
