import ShiftlogCore

/// The policy fields of `POST /api/work` (Shiftlog's own; whim has none): `retry`
/// (`maxRetries`, `schedule` or `exponential` `{initial, factor, max}`, `jitter`,
/// `nonRetryable`), `attemptTimeoutSeconds` and `deadlineSeconds`.
///
/// This reads their shapes only (a number where a number belongs, a known category, one
/// backoff); their ranges are the core's (``WorkItemPolicy``), checked when the add is
/// decided, so an embedder's add is held to the same.
enum PolicyRequest {
    /// The most category names a `nonRetryable` list may hold (repeats are dropped).
    static let maxCategories = FailureCategory.allCases.count * 4

    /// Any whole number a policy field can hold; the core narrows it.
    private static let anyWhole = Int(Int32.min)...Int(Int32.max)

    /// The policy in `body`; `nil` when it gives none of its fields.
    static func policy(in body: RequestBody) throws(APIError) -> WorkItemPolicy? {
        let policy = WorkItemPolicy(
            retry: try body.object("retry").map(retry),
            attemptTimeoutSeconds: try body.integer("attemptTimeoutSeconds", in: anyWhole).map(Int64.init),
            deadlineSeconds: try body.integer("deadlineSeconds", in: anyWhole).map(Int64.init))
        return policy.isEmpty ? nil : policy
    }

    private static func retry(_ body: RequestBody) throws(APIError) -> RetryPolicy {
        try body.onlyFields(["maxRetries", "schedule", "exponential", "jitter", "nonRetryable"])
        let schedule = try body.integers("schedule", in: anyWhole, maxCount: 1_000)
        let exponential = try body.object("exponential")
        guard schedule == nil || exponential == nil else {
            throw APIError.validation("give one of 'retry.schedule' and 'retry.exponential', not both")
        }
        var backoff = schedule.map { RetryBackoff.schedule($0.map(Int64.init)) }
        if let exponential {
            try exponential.onlyFields(["initial", "factor", "max"])
            backoff = .exponential(
                initialSeconds: Int64(try exponential.integer("initial", in: anyWhole, required: true)!),
                factorPerMille: try exponential.thousandths("factor", required: true)!,
                maxSeconds: Int64(try exponential.integer("max", in: anyWhole, required: true)!))
        }
        let categories = try body.strings("nonRetryable", maxCount: maxCategories, maxLength: 40)
        var nonRetryable: [FailureCategory]?
        if let categories {
            var chosen: [FailureCategory] = []
            for (index, name) in categories.enumerated() {
                guard let category = FailureCategory(rawValue: name) else {
                    let known = FailureCategory.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.validation("'retry.nonRetryable[\(index)]' must be one of \(known), got \(quoted(name))")
                }
                if !chosen.contains(category) { chosen.append(category) }
            }
            nonRetryable = chosen
        }
        return RetryPolicy(
            maxRetries: try body.integer("maxRetries", in: anyWhole), backoff: backoff,
            jitterPerMille: try body.thousandths("jitter"), nonRetryable: nonRetryable)
    }
}
