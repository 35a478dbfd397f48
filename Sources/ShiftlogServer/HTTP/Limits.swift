import ShiftlogCore

/// Bounds on what requests may carry, checked where a value enters the service (so a bad
/// request is a 400 naming the field, before anything reaches the writer). The numbers are
/// the core's ``NumericBounds``, which `decide` checks again; the rest bound text and lists.
enum Limits {
    static let iteration = NumericBounds.iteration
    static let tokens = NumericBounds.tokens
    static let count = NumericBounds.count
    static let duration = NumericBounds.durationMilliseconds
    static let attempts = NumericBounds.attempts
    /// A pull request number (from 1: whim's route refuses 0).
    static let prNumber = 1...NumericBounds.prNumber.upperBound
    /// `maxIterations` of a new item (whim's range).
    static let maxIterations = 1...200
    /// Lines of a worker's log one request may ask for.
    static let logLines = 1...100_000
    /// Free text a worker sends (an error, a reason, a stack): longer is refused.
    static let text = 100_000
    /// A short label (status, category, model name, id).
    static let label = 200
    /// Paths in one lock request.
    static let lockFiles = 10_000
}
