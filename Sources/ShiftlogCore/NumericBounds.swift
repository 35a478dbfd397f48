/// The ranges the numbers in a ``Command`` (and in the rules of a
/// ``LifecycleConfiguration``, whose ranges are their settings' in ``ShiftlogSettings``) must
/// lie in. ``decide(_:state:context:)`` refuses a command
/// holding a number outside its range with a `validationFailed` ``LifecycleError`` naming the
/// field and the range, before it looks at anything else, so such a number never reaches the
/// log.
///
/// The bounds are far above any real use and far below `Int`'s limits, so that sums, counts
/// and averages over a whole log stay exact. (What an older build let into a log is still
/// folded without trapping: ``evolve(_:_:)`` and the queries saturate instead.)
public enum NumericBounds {
    /// A worker's iteration (heartbeat, failure), and a work item's `maxIterations` from 1.
    public static let iteration: ClosedRange<Int> = 0...1_000_000
    /// Tokens in or out, per heartbeat or in a completion's metrics: 10^15.
    public static let tokens: ClosedRange<Int> = 0...1_000_000_000_000_000
    /// The attempts a stuck worker reports.
    public static let attempts: ClosedRange<Int> = 0...1_000_000
    /// A pull request number.
    public static let prNumber: ClosedRange<Int> = 0...1_000_000_000
    /// Counts in a completion's metrics (files modified, tests run, passed, failed).
    public static let count: ClosedRange<Int> = 0...1_000_000_000
    /// A duration in milliseconds (a completion's `metrics.duration`): about 31 years.
    public static let durationMilliseconds: ClosedRange<Int> = 0...1_000_000_000_000
    /// A container's exit code (negative ones are signals, as some runtimes report them).
    public static let exitCode: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)

    /// Refuses `value` when it lies outside `range`; `field` names it in the message.
    public static func check<Value: BinaryInteger>(_ value: Value?, in range: ClosedRange<Value>, _ field: String)
        throws(LifecycleError)
    {
        guard let value, !range.contains(value) else { return }
        throw LifecycleError(
            .validationFailed, "'\(field)' must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
    }
}
