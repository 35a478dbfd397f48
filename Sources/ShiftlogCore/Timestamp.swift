/// A point in time with millisecond precision, in UTC.
///
/// Shiftlog never reads the wall clock inside the core: every `Timestamp` comes from an event
/// or from the ``DecisionContext``. Milliseconds since the Unix epoch keep times exact, so a
/// replayed log produces byte-identical projections.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// The time `millisecondsSinceEpoch` after 1970-01-01T00:00:00Z.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The times Shiftlog reads and writes: years 0000 to 9999, the years ISO 8601's four
    /// digits can spell. Parsing never gives a time outside it, and ``adding(seconds:)`` and
    /// ``adding(milliseconds:)`` stop at its ends, so any time computed from times in the range
    /// still prints and parses back.
    public static let supportedRange = Timestamp(millisecondsSinceEpoch: -62_167_219_200_000)
        ... Timestamp(millisecondsSinceEpoch: 253_402_300_799_999)

    /// Creates a timestamp from an ISO-8601 string such as `2026-03-01T09:00:00Z` or
    /// `2026-03-01T09:00:00.250Z`. Only UTC (`Z`) is accepted. The fraction of a second may
    /// have 1 to 9 digits (milliseconds, microseconds, nanoseconds); digits past the third are
    /// dropped, so the time is truncated to the millisecond. The result always lies in
    /// ``supportedRange``.
    public init?(iso8601 text: some StringProtocol) {
        guard let value = ISO8601.parse(Array(text.utf8)) else { return nil }
        self.millisecondsSinceEpoch = value
    }

    /// Earlier first.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// This time moved by a number of seconds (may be negative), clamped to
    /// ``supportedRange``: never traps, whatever the operands.
    public func adding(seconds: Int64) -> Timestamp {
        adding(milliseconds: seconds.multipliedSaturating(by: 1_000))
    }

    /// This time moved by a number of milliseconds (may be negative), clamped to
    /// ``supportedRange``: never traps, whatever the operands.
    public func adding(milliseconds: Int64) -> Timestamp {
        let moved = Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch.addingSaturating(milliseconds))
        return min(max(moved, Self.supportedRange.lowerBound), Self.supportedRange.upperBound)
    }

    /// Milliseconds from `other` to `self`, saturating at `Int64`'s limits (only times far
    /// outside ``supportedRange`` reach them).
    public func milliseconds(since other: Timestamp) -> Int64 {
        millisecondsSinceEpoch.subtractingSaturating(other.millisecondsSinceEpoch)
    }

    /// The UTC calendar day, as `YYYY-MM-DD`: the key of the daily iteration budget.
    public var utcDay: String {
        let (year, month, day) = ISO8601.civil(fromDays: dayNumber)
        guard (0...9_999).contains(year) else {
            return "\(ISO8601.pad(year, 4))-\(ISO8601.pad(month, 2))-\(ISO8601.pad(day, 2))"
        }
        // Folded once per heartbeat that advances an iteration: ten digits and dashes written
        // straight into a small string, no allocation.
        return String(unsafeUninitializedCapacity: 10) { out in
            func digits(_ value: Int64, _ width: Int, at start: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            digits(year, 4, at: 0)
            out[4] = UInt8(ascii: "-")
            digits(month, 2, at: 5)
            out[7] = UInt8(ascii: "-")
            digits(day, 2, at: 8)
            return 10
        }
    }

    /// Days since the epoch, rounding towards minus infinity (without overflow at `Int64.min`).
    var dayNumber: Int64 {
        let ms = millisecondsSinceEpoch
        return ms >= 0 ? ms / 86_400_000 : (ms + 1) / 86_400_000 - 1
    }

    /// ISO-8601 with milliseconds, e.g. `2026-03-01T09:00:00.000Z`.
    public var iso8601: String {
        let days = dayNumber
        let remainder = millisecondsSinceEpoch % 86_400_000  // no product that could overflow
        let msOfDay = remainder < 0 ? remainder + 86_400_000 : remainder
        let (year, month, day) = ISO8601.civil(fromDays: days)
        let hours = msOfDay / 3_600_000
        let minutes = (msOfDay / 60_000) % 60
        let seconds = (msOfDay / 1_000) % 60
        let millis = msOfDay % 1_000
        return "\(ISO8601.pad(year, 4))-\(ISO8601.pad(month, 2))-\(ISO8601.pad(day, 2))T"
            + "\(ISO8601.pad(hours, 2)):\(ISO8601.pad(minutes, 2)):\(ISO8601.pad(seconds, 2))."
            + "\(ISO8601.pad(millis, 3))Z"
    }

    /// The ISO 8601 form, e.g. `2026-03-01T09:00:00.000Z`.
    public var description: String { iso8601 }

    /// Decodes a timestamp from its ISO 8601 string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(quoted(text)) is not an ISO-8601 UTC time")
        }
        self = value
    }

    /// Encodes the timestamp as its ISO 8601 string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

/// Calendar arithmetic for ``Timestamp`` (proleptic Gregorian, UTC), without Foundation's
/// formatters, which are slow and locale-sensitive.
enum ISO8601 {
    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Year, month, day for a count of days since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 for a civil date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Most digits accepted after the decimal point: nanoseconds.
    static let maxFractionDigits = 9

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f…]Z` (1 to ``maxFractionDigits`` fraction digits,
    /// truncated to milliseconds) into milliseconds since the epoch. Four-digit years keep every
    /// intermediate value far from `Int64`'s limits and the result in
    /// ``Timestamp/supportedRange``.
    static func parse(_ bytes: [UInt8]) -> Int64? {
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ char: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == char else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            expect(84), let hour = number(2), expect(58), let minute = number(2), expect(58),
            let second = number(2)
        else { return nil }
        var millis: Int64 = 0
        if expect(46) {
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 3 { millis = millis * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard (1...maxFractionDigits).contains(digits) else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
        }
        guard expect(90), index == bytes.count else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else {
            return nil
        }
        let days = Self.days(year: year, month: month, day: day)
        guard Self.civil(fromDays: days) == (year, month, day) else { return nil }
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1_000 + millis
    }
}
