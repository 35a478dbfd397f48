public import ShiftlogCore
public import ShiftlogStore

/// A point in a log, as a user names it: a sequence number (`1234`) or a UTC time
/// (`2026-03-01T09:05:00Z`). A time stands for the last event at or before it.
public enum LogPoint: Sendable, Hashable, CustomStringConvertible {
    /// A sequence number (`1234` or `#1234`).
    case sequence(UInt64)
    /// A UTC time: the last event at or before it.
    case time(Timestamp)

    /// Parses `1234`, `#1234` or an ISO-8601 UTC time; `nil` for anything else.
    public init?(_ text: String) {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        if let sequence = UInt64(digits) {
            self = .sequence(sequence)
        } else if let time = Timestamp(iso8601: text) {
            self = .time(time)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .sequence(let sequence): "#\(sequence)"
        case .time(let time): time.iso8601
        }
    }

    /// The sequence of the last event at or before this point (0: before the first event).
    /// A time is found by binary search: times in a log never go backwards.
    public func resolve(in log: any EventLog) throws -> UInt64 {
        let last = try log.lastSequence()
        switch self {
        case .sequence(let sequence):
            return min(sequence, last)
        case .time(let time):
            var low: UInt64 = 0  // time of event `low` is ≤ `time` (0: none)
            var high = last + 1  // time of event `high` is > `time` (last + 1: none)
            while high - low > 1 {
                let middle = low + (high - low) / 2
                guard let event = try log.read(after: middle - 1, limit: 1).first else { break }
                if event.time <= time { low = middle } else { high = middle }
            }
            return low
        }
    }
}
