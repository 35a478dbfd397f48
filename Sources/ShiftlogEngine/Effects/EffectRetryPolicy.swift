import Foundation

/// How a handler runner retries what failed: an effect that threw, a log it could not read, an
/// outcome it could not store. Waits grow exponentially from ``initialBackoff`` by
/// ``multiplier`` up to ``maxBackoff``. An effect that has thrown ``maxAttempts`` times is
/// given up (recorded as `effectAbandoned`) and the runner moves on; reads and stores are
/// retried until they succeed, since giving those up would lose outcomes.
public struct EffectRetryPolicy: Sendable {
    /// The wait after the first failure.
    public var initialBackoff: Duration = .milliseconds(100)
    /// The longest wait between two attempts.
    public var maxBackoff: Duration = .seconds(30)
    /// How much each wait grows over the previous one (at least 1).
    public var multiplier: Double = 2
    /// Attempts of one effect before it is abandoned (at least 1).
    public var maxAttempts = 8
    /// How the runner waits; throws `CancellationError` when the task is cancelled. Tests
    /// inject one that records the waits and returns at once, so nothing really waits.
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// The defaults: 100 ms doubling up to 30 s, 8 attempts, `Task.sleep`.
    public init() {}

    /// The wait after the `failures`-th consecutive failure (1 for the first).
    public func backoff(afterFailure failures: Int) -> Duration {
        guard failures > 1 else { return min(initialBackoff, maxBackoff) }
        let factor = Foundation.pow(max(multiplier, 1), Double(failures - 1))
        let seconds = Double(initialBackoff.components.seconds) + Double(initialBackoff.components.attoseconds) / 1e18
        let grown = seconds * factor
        let cap = Double(maxBackoff.components.seconds) + Double(maxBackoff.components.attoseconds) / 1e18
        return grown.isFinite && grown < cap ? .milliseconds(Int64((grown * 1_000).rounded())) : maxBackoff
    }
}
