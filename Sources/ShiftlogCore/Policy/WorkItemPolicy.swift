/// What an item asks for beyond whim's fields, given when it is added and recorded in its
/// ``WorkItemAdded``: its own retry rules and its time limits. Each field left out takes the
/// server's rule (``LifecycleConfiguration``) when a decision needs it.
public struct WorkItemPolicy: Sendable, Hashable, Codable {
    /// The item's retry rules.
    public var retry: RetryPolicy?
    /// The longest one worker may run on the item, from its spawn to its end: past it the
    /// worker is killed (`attempt timeout`) and the item retried per its rules.
    /// `ATTEMPT_TIMEOUT_SECONDS`.
    public var attemptTimeoutSeconds: Int64?
    /// The longest the item may take, from its queueing (or its last retry or requeue by
    /// hand) to the end of its last attempt: past it the item ends `failed` (`deadline`) and
    /// its worker is stopped. `DEADLINE_SECONDS`.
    public var deadlineSeconds: Int64?

    /// A policy with the given fields; `nil` ones take the server's rules.
    public init(retry: RetryPolicy? = nil, attemptTimeoutSeconds: Int64? = nil, deadlineSeconds: Int64? = nil) {
        self.retry = retry.flatMap { $0.isEmpty ? nil : $0 }
        self.attemptTimeoutSeconds = attemptTimeoutSeconds
        self.deadlineSeconds = deadlineSeconds
    }

    /// Whether every field is left to the server.
    public var isEmpty: Bool { (retry?.isEmpty ?? true) && attemptTimeoutSeconds == nil && deadlineSeconds == nil }
}

extension WorkItemPolicy {
    /// The ranges of a policy's numbers: those of the settings they stand in for, and for
    /// the fractions, thousandths.
    /// The ranges of a policy's numbers, read by its check and by the API's document.
    public enum Bounds {
        /// Each wait of a schedule, and an exponential backoff's first wait, in seconds.
        public static let backoffSeconds = ShiftlogSettings.retryBackoffSeconds.elementRange()
        /// An exponential backoff's cap, in seconds.
        public static let maxBackoffSeconds: ClosedRange<Int64> = 0...604_800
        /// An exponential backoff's factor, in thousandths (1 to 100).
        public static let factorPerMille: ClosedRange<Int64> = 1_000...100_000
        /// The jitter, in thousandths (0 to 1).
        public static let jitterPerMille = ShiftlogSettings.retryJitter.range
        /// An item's own attempt timeout, in seconds (the setting's, without its 0 for none).
        public static let attemptTimeoutSeconds = 1...ShiftlogSettings.attemptTimeoutSeconds.range.upperBound
        /// An item's own deadline, in seconds (the setting's, without its 0 for none).
        public static let deadlineSeconds = 1...ShiftlogSettings.deadlineSeconds.range.upperBound
    }

    /// Refuses a policy with a number out of its range or an empty schedule, naming the
    /// field as `POST /api/work` spells it (`retry.maxRetries`, `retry.exponential.factor`, …).
    func checkBounds() throws(LifecycleError) {
        if let retry {
            try NumericBounds.check(retry.maxRetries, in: ShiftlogSettings.maxRetries.range, "retry.maxRetries")
            switch retry.backoff {
            case .schedule(let seconds)?:
                let length = ShiftlogSettings.backoffScheduleLength
                guard length.contains(seconds.count) else {
                    throw LifecycleError(
                        .validationFailed,
                        "'retry.schedule' must list \(length.lowerBound) to \(length.upperBound) waits, got \(seconds.count)")
                }
                for (index, wait) in seconds.enumerated() {
                    try NumericBounds.check(wait, in: Bounds.backoffSeconds, "retry.schedule[\(index)]")
                }
            case .exponential(let initial, let factor, let maximum)?:
                try NumericBounds.check(initial, in: Bounds.backoffSeconds, "retry.exponential.initial")
                try NumericBounds.check(maximum, in: Bounds.maxBackoffSeconds, "retry.exponential.max")
                guard Bounds.factorPerMille.contains(factor) else {
                    throw LifecycleError(
                        .validationFailed, "'retry.exponential.factor' must be between 1 and 100, got \(Thousandths.text(factor))")
                }
            case nil: break
            }
            if let jitter = retry.jitterPerMille, !Bounds.jitterPerMille.contains(jitter) {
                throw LifecycleError(.validationFailed, "'retry.jitter' must be between 0 and 1, got \(Thousandths.text(jitter))")
            }
        }
        try NumericBounds.check(attemptTimeoutSeconds, in: Bounds.attemptTimeoutSeconds, "attemptTimeoutSeconds")
        try NumericBounds.check(deadlineSeconds, in: Bounds.deadlineSeconds, "deadlineSeconds")
    }
}
