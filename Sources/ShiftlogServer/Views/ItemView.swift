import ShiftlogCore

/// One item as `GET /api/work/:id` and the control routes answer it: whim's fields, then
/// Shiftlog's `policy` (only when the item gave one, in the shape `POST /api/work` takes) and
/// `deadlineAt` (when a deadline applies, the item's own or the server's).
struct ItemView: Encodable, Sendable {
    var item: WorkItem
    var policy: PolicyView?
    var deadlineAt: Timestamp?

    init(_ item: WorkItem, state: LifecycleState, rules: LifecycleConfiguration) {
        self.item = item
        policy = state.policies[item.id].map(PolicyView.init)
        deadlineAt = item.isTerminal ? nil : state.deadline(of: item, rules)
    }

    private enum CodingKeys: String, CodingKey { case policy, deadlineAt }

    func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(policy, forKey: .policy)
        try c.encodeIfPresent(deadlineAt, forKey: .deadlineAt)
    }
}

/// A ``WorkItemPolicy`` in the shape `POST /api/work` takes: fractions as decimals, the
/// backoff as `schedule` or `exponential`.
struct PolicyView: Encodable, Sendable {
    struct Retry: Encodable, Sendable {
        struct Exponential: Encodable, Sendable {
            var initial: Int64
            var factor: Double
            var max: Int64
        }
        var maxRetries: Int?
        var schedule: [Int64]?
        var exponential: Exponential?
        var jitter: Double?
        var nonRetryable: [FailureCategory]?
    }

    var retry: Retry?
    var attemptTimeoutSeconds: Int64?
    var deadlineSeconds: Int64?

    init(_ policy: WorkItemPolicy) {
        retry = policy.retry.map { retry in
            var view = Retry(maxRetries: retry.maxRetries, jitter: retry.jitterPerMille.map { Double($0) / 1_000 }, nonRetryable: retry.nonRetryable)
            switch retry.backoff {
            case .schedule(let seconds)?: view.schedule = seconds
            case .exponential(let initial, let factor, let maximum)?:
                view.exponential = .init(initial: initial, factor: Double(factor) / 1_000, max: maximum)
            case nil: break
            }
            return view
        }
        attemptTimeoutSeconds = policy.attemptTimeoutSeconds
        deadlineSeconds = policy.deadlineSeconds
    }
}
