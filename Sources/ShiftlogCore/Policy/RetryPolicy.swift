/// An item's own retry rules, given when it is added (`POST /api/work`'s `retry` object). A
/// field left out takes the server's rule of the same name (``LifecycleConfiguration``), read
/// when the retry is decided, so `what-if` can change the defaults of items that gave none.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Retries after a failure or kill before the item fails for good (`MAX_RETRIES`).
    public var maxRetries: Int?
    /// The wait before each retry (`RETRY_BACKOFF_SECONDS`, a schedule).
    public var backoff: RetryBackoff?
    /// How far each wait is moved, up or down, in thousandths of itself (`RETRY_JITTER`);
    /// see ``DeterministicJitter``.
    public var jitterPerMille: Int64?
    /// Failure categories that fail the item at once instead of retrying it
    /// (`RETRY_NON_RETRYABLE`); e.g. a `VALIDATION_ERROR` such as a git-auth failure.
    public var nonRetryable: [FailureCategory]?

    /// A policy with the given fields; `nil` ones take the server's rules.
    public init(
        maxRetries: Int? = nil, backoff: RetryBackoff? = nil, jitterPerMille: Int64? = nil,
        nonRetryable: [FailureCategory]? = nil
    ) {
        self.maxRetries = maxRetries
        self.backoff = backoff
        self.jitterPerMille = jitterPerMille
        self.nonRetryable = nonRetryable
    }

    /// Whether every field is left to the server.
    public var isEmpty: Bool { maxRetries == nil && backoff == nil && jitterPerMille == nil && nonRetryable == nil }
}

/// The retry rules that apply to one item: its own where it gave them, the server's
/// otherwise. Made in `decide` only.
struct EffectiveRetryRules {
    var maxRetries: Int
    var backoff: RetryBackoff?
    var jitterPerMille: Int64
    var nonRetryable: [FailureCategory]

    /// The rules for `item`, whose policy (if any) is `policy`. A verification item keeps
    /// its immediate retries (no backoff) unless its policy gives one.
    init(item: WorkItem, policy: RetryPolicy?, config: LifecycleConfiguration) {
        let isVerification = item.type == .verification
        maxRetries = policy?.maxRetries ?? (isVerification ? config.verificationMaxRetries : config.maxRetries)
        backoff = policy?.backoff ?? (isVerification ? nil : .schedule(config.retryBackoffSeconds))
        jitterPerMille = policy?.jitterPerMille ?? config.retryJitterPerMille
        nonRetryable = policy?.nonRetryable ?? config.nonRetryableCategories
    }

    /// The wait before retry `retry` of `item`, jitter applied; `nil` for at once.
    func wait(forRetry retry: Int, item: WorkItemID) -> Int64? {
        guard let backoff else { return nil }
        return DeterministicJitter.apply(perMille: jitterPerMille, to: backoff.seconds(forRetry: retry), item: item, retry: retry)
    }
}
