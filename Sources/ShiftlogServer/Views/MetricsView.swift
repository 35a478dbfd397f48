import ShiftlogCore

/// `GET /api/metrics`: whim's dashboard figures, computed from the projections. "Today" is the
/// UTC day of `now`, as for the daily budget. Unlike whim's, token usage is summed from the
/// metrics workers reported, and the cost estimate uses `costPerMillionTokens`.
struct MetricsView: Encodable, Sendable {
    struct Verification: Encodable, Sendable {
        var total: Int
        var passed: Int
        var failed: Int
        var pending: Int
        var passRate: Double
    }
    struct TokenUsage: Encodable, Sendable {
        var tokensIn: Int
        var tokensOut: Int
        var estimatedCostUsd: Double
    }

    var activeWorkers: Int
    var queuedItems: Int
    var completedToday: Int
    var failedToday: Int
    /// Items cancelled on this UTC day: counted apart from failed ones, and in neither the
    /// success rate's numerator nor its denominator.
    var cancelledToday: Int
    var iterationsToday: Int
    var dailyBudget: Int
    /// Mean milliseconds from an item's creation to its completion, over completed items.
    var avgCompletionTime: Double
    /// Completed items over finished (completed or failed) ones, 0 when none finished.
    var successRate: Double
    var verification: Verification
    var tokenUsage: TokenUsage

    init(state: LifecycleState, now: Timestamp, dailyBudget: Int, costPerMillionTokens: (input: Double, output: Double)) {
        let today = now.utcDay
        activeWorkers = state.activeWorkerCount
        queuedItems = state.queuedItems.count
        var completedToday = 0
        var failedToday = 0
        var cancelledToday = 0
        var completed = 0
        var failed = 0
        var completionMilliseconds = 0.0
        var verification = Verification(total: 0, passed: 0, failed: 0, pending: 0, passRate: 0)
        for item in state.workItems.values {
            switch item.status {
            case .completed:
                completed += 1
                if let done = item.completedAt {
                    completionMilliseconds += Double(done.milliseconds(since: item.createdAt))
                    if done.utcDay == today { completedToday += 1 }
                }
            case .failed:
                failed += 1
                if item.updatedAt.utcDay == today { failedToday += 1 }
            case .cancelled:
                if item.updatedAt.utcDay == today { cancelledToday += 1 }
            default: break
            }
            if item.type == .verification {
                verification.total += 1
                switch item.verificationPassed {
                case true?: verification.passed += 1
                case false?: verification.failed += 1
                case nil: verification.pending += item.isTerminal ? 0 : 1
                }
            }
        }
        let judged = verification.passed + verification.failed
        verification.passRate = judged == 0 ? 0 : Double(verification.passed) / Double(judged)
        self.completedToday = completedToday
        self.failedToday = failedToday
        self.cancelledToday = cancelledToday
        iterationsToday = state.rateLimit.iterations(on: now)
        self.dailyBudget = dailyBudget
        avgCompletionTime = completed == 0 ? 0 : completionMilliseconds / Double(completed)
        successRate = completed + failed == 0 ? 0 : Double(completed) / Double(completed + failed)
        self.verification = verification
        let (tokensIn, tokensOut) = state.tokenTotals
        tokenUsage = TokenUsage(
            tokensIn: tokensIn, tokensOut: tokensOut,
            estimatedCostUsd: (Double(tokensIn) * costPerMillionTokens.input + Double(tokensOut) * costPerMillionTokens.output)
                / 1_000_000)
    }
}
