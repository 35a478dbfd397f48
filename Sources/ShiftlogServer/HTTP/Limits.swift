/// Bounds on what requests may carry, checked where a value enters the service so that no
/// request can push a number or a string past what the engine and the log are meant to hold.
enum Limits {
    /// Iterations a worker may report (whim's items allow at most 200; generous headroom).
    static let iteration = 0...1_000_000
    /// Token counts, durations (ms) and other counters a worker reports.
    static let counter = 0...1_000_000_000_000
    /// Attempts reported with `stuck`.
    static let attempts = 0...1_000_000
    /// A pull request number.
    static let prNumber = 1...1_000_000_000
    /// `maxIterations` of a new item (whim's range).
    static let maxIterations = 1...200
    /// Lines of a worker's log one request may ask for.
    static let logLines = 1...100_000
    /// Free text a worker sends (an error, a reason, a stack): longer is refused.
    static let text = 100_000
    /// A short label (status, category, model name).
    static let label = 200
    /// Paths in one lock request.
    static let lockFiles = 10_000
}
