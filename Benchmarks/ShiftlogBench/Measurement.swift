import Foundation
import ShiftlogCore
import Histogram

/// One measured case: throughput, and latency percentiles when each operation was timed.
struct Measurement: Encodable, Sendable {
    var name: String
    var operations: Int
    var seconds: Double
    var perSecond: Double { Double(operations) / seconds }
    var p50Microseconds: Double?
    var p99Microseconds: Double?
    var note: String?
    /// Operations a second in each round, when the case ran more than once; the fields above
    /// are the round with the median throughput.
    var rounds: [Double]?

    enum CodingKeys: String, CodingKey {
        case name, operations, seconds, perSecond, p50Microseconds, p99Microseconds, note, rounds
    }

    /// The round with the median throughput, carrying every round's throughput.
    static func median(of rounds: [Measurement]) -> Measurement {
        precondition(!rounds.isEmpty)
        var median = rounds.sorted { $0.perSecond < $1.perSecond }[(rounds.count - 1) / 2]
        if rounds.count > 1 { median.rounds = rounds.map(\.perSecond) }
        return median
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(operations, forKey: .operations)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(perSecond, forKey: .perSecond)
        try c.encodeIfPresent(p50Microseconds, forKey: .p50Microseconds)
        try c.encodeIfPresent(p99Microseconds, forKey: .p99Microseconds)
        try c.encodeIfPresent(note, forKey: .note)
        try c.encodeIfPresent(rounds, forKey: .rounds)
    }
}

/// Latencies in nanoseconds, one histogram per task, merged at the end.
struct Latencies: Sendable {
    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        _ = histogram.record(UInt64(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
    }

    mutating func add(_ other: Latencies) { histogram.add(other.histogram) }

    var p50: Double { Double(histogram.valueAtPercentile(50)) / 1_000 }
    var p99: Double { Double(histogram.valueAtPercentile(99)) / 1_000 }
}

/// The resident set size of this process, from /proc/self/status.
func residentBytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0) * 1_024
}

func temporaryFolder(_ name: String) -> String {
    NSTemporaryDirectory() + "shiftlog-bench-\(name)-\(UUID().uuidString.prefix(8))"
}

/// `callers` closed loops, each calling `operation(caller, n)` for n = 1, 2, … until
/// `seconds` have passed, each call timed. Returns the calls made, their latencies, and the
/// seconds it took.
func closedLoops(
    callers: Int, seconds: Double, _ operation: @escaping @Sendable (_ caller: Int, _ n: Int) async throws -> Void
) async throws -> (operations: Int, latencies: Latencies, seconds: Double) {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
    let started = ContinuousClock.now
    let (total, latencies) = try await withThrowingTaskGroup(of: (Int, Latencies).self) { group in
        for caller in 0..<callers {
            group.addTask {
                var latencies = Latencies()
                var n = 0
                while ContinuousClock.now < deadline {
                    n += 1
                    let before = ContinuousClock.now
                    try await operation(caller, n)
                    latencies.record(ContinuousClock.now - before)
                }
                return (n, latencies)
            }
        }
        var total = 0
        var all = Latencies()
        for try await (count, latencies) in group {
            total += count
            all.add(latencies)
        }
        return (total, all)
    }
    return (total, latencies, (ContinuousClock.now - started).seconds)
}
