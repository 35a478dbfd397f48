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
}
