@testable import ShiftlogCore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)), ("2026-03-01T09:00:00.250Z", 1_772_355_600_250),
        ("2024-02-29T23:59:59.999Z", 1_709_251_199_999), ("1969-12-31T23:59:59Z", -1_000),
    ])
    func parsesAndFormats(_ text: String, _ ms: Int64) throws {
        let time = try #require(Timestamp(iso8601: text))
        #expect(time.millisecondsSinceEpoch == ms)
        #expect(Timestamp(iso8601: time.iso8601) == time)
    }

    @Test(arguments: ["2026-02-30T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01 09:00:00Z", "2026-03-01T09:00:00+01:00", ""])
    func rejectsWhatIsNotAUTCTime(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func theUTCDayChangesAtMidnight() {
        #expect(Timestamp(iso8601: "2026-03-01T23:59:59.999Z")!.utcDay == "2026-03-01")
        #expect(Timestamp(iso8601: "2026-03-02T00:00:00Z")!.utcDay == "2026-03-02")
    }

    /// Issue 12: more than three fraction digits trapped (an invalid range in the padding loop).
    @Test(arguments: [
        ("2026-03-01T09:05:00.1234Z", Int64(1_772_355_900_123)), ("2026-03-01T09:05:00.123456Z", 1_772_355_900_123),
        ("2026-03-01T09:05:00.999999999Z", 1_772_355_900_999), ("2026-03-01T09:05:00.1Z", 1_772_355_900_100),
    ])
    func extraFractionDigitsAreTruncatedToTheMillisecond(_ text: String, _ ms: Int64) throws {
        #expect(try #require(Timestamp(iso8601: text)).millisecondsSinceEpoch == ms)
    }

    @Test(arguments: ["2026-03-01T09:05:00.1234567890Z", "2026-03-01T09:05:00.Z", "2026-03-01T09:05:00." + String(repeating: "9", count: 400) + "Z"])
    func tooManyOrNoFractionDigitsAreRefused(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func theSupportedRangeIsTheFourDigitYears() throws {
        #expect(Timestamp(iso8601: "0000-01-01T00:00:00Z") == Timestamp.supportedRange.lowerBound)
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59.999999Z") == Timestamp.supportedRange.upperBound)
        #expect(Timestamp.supportedRange.lowerBound.iso8601 == "0000-01-01T00:00:00.000Z")
        #expect(Timestamp.supportedRange.upperBound.iso8601 == "9999-12-31T23:59:59.999Z")
    }

    @Test func arithmeticStopsAtTheEndsOfTheSupportedRange() {
        let time = Timestamp(iso8601: "2026-03-01T09:00:00Z")!
        #expect(time.adding(seconds: .max) == Timestamp.supportedRange.upperBound)
        #expect(time.adding(seconds: .min) == Timestamp.supportedRange.lowerBound)
        #expect(time.adding(milliseconds: .max) == Timestamp.supportedRange.upperBound)
        #expect(Timestamp(millisecondsSinceEpoch: .min).adding(seconds: -1) == Timestamp.supportedRange.lowerBound)
        #expect(Timestamp(millisecondsSinceEpoch: .max).milliseconds(since: Timestamp(millisecondsSinceEpoch: .min)) == .max)
        #expect(Timestamp(millisecondsSinceEpoch: .min).milliseconds(since: Timestamp(millisecondsSinceEpoch: .max)) == .min)
    }

    /// Times outside the supported range (a damaged or hand-made record) still format without trapping.
    @Test(arguments: [Int64.min, Int64.min + 1, -1, Int64.max])
    func anyTimeFormats(_ ms: Int64) {
        let time = Timestamp(millisecondsSinceEpoch: ms)
        #expect(!time.iso8601.isEmpty)
        #expect(!time.utcDay.isEmpty)
    }
}
