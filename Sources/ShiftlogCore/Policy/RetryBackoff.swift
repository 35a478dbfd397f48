/// How long an item waits before each retry: a fixed schedule (whim's `60, 300, 1800`) or a
/// growing one.
///
/// Whole seconds and thousandths only, never floating point, so that the wait a log records
/// is the same on every machine and every replay.
public enum RetryBackoff: Sendable, Hashable {
    /// Wait `seconds[0]` before retry 1, `seconds[1]` before retry 2, …; the last value repeats.
    case schedule([Int64])
    /// Wait `initialSeconds` before retry 1, then `factorPerMille / 1000` times the previous
    /// wait before each retry after it, never more than `maxSeconds` (a cap, which also holds
    /// for the first wait).
    case exponential(initialSeconds: Int64, factorPerMille: Int64, maxSeconds: Int64)

    /// The wait before retry number `retry` (1-based), before any jitter.
    public func seconds(forRetry retry: Int) -> Int64 {
        switch self {
        case .schedule(let seconds):
            guard !seconds.isEmpty else { return 0 }
            return seconds[min(max(retry, 1), seconds.count) - 1]
        case .exponential(let initial, let factorPerMille, let maximum):
            // Grown one retry at a time in wide integers, and capped as it goes, so that a
            // thousandth retry neither overflows nor takes long.
            var wait = Int128(min(initial, maximum))
            var step = 1
            while step < retry, wait < Int128(maximum) {
                wait = min(wait * Int128(factorPerMille) / 1_000, Int128(maximum))
                step += 1
            }
            return Int64(wait)
        }
    }
}

extension RetryBackoff: Codable {
    private enum CodingKeys: String, CodingKey { case schedule, exponential }
    private enum ExponentialKeys: String, CodingKey { case initialSeconds, factorPerMille, maxSeconds }

    /// `{"schedule": [60, 300]}` or `{"exponential": {"initialSeconds", "factorPerMille", "maxSeconds"}}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .schedule(let seconds): try c.encode(seconds, forKey: .schedule)
        case .exponential(let initial, let factor, let maximum):
            var e = c.nestedContainer(keyedBy: ExponentialKeys.self, forKey: .exponential)
            try e.encode(initial, forKey: .initialSeconds)
            try e.encode(factor, forKey: .factorPerMille)
            try e.encode(maximum, forKey: .maxSeconds)
        }
    }

    /// Reads the form ``encode(to:)-(Encoder)`` writes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let seconds = try c.decodeIfPresent([Int64].self, forKey: .schedule) {
            self = .schedule(seconds)
            return
        }
        let e = try c.nestedContainer(keyedBy: ExponentialKeys.self, forKey: .exponential)
        self = .exponential(
            initialSeconds: try e.decode(Int64.self, forKey: .initialSeconds),
            factorPerMille: try e.decode(Int64.self, forKey: .factorPerMille),
            maxSeconds: try e.decode(Int64.self, forKey: .maxSeconds))
    }
}
