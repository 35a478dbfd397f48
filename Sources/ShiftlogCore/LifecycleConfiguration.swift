/// The rules' tunables. Each is a setting of ``ShiftlogSettings`` (named below), whose
/// declaration gives its default (whim's) and range. Used by ``decide(_:state:context:)`` only:
/// ``evolve(_:_:)`` never reads it, so a log replays the same under any configuration.
public struct LifecycleConfiguration: Sendable, Hashable, Codable {
    /// At most this many active (starting or running) workers. whim: `MAX_WORKERS`.
    public var maxWorkers: Int = ShiftlogSettings.maxWorkers.defaultValue
    /// Seconds between two spawns. whim: `COOLDOWN_SECONDS`.
    public var cooldownSeconds: Int64 = ShiftlogSettings.cooldownSeconds.defaultValue
    /// Iterations per UTC day. whim: `DAILY_BUDGET`.
    public var dailyBudget: Int = ShiftlogSettings.dailyBudget.defaultValue
    /// A worker whose last heartbeat is older than this is stale. whim: `STALE_THRESHOLD`.
    public var staleThresholdSeconds: Int64 = ShiftlogSettings.staleThreshold.defaultValue
    /// The stale threshold for verification workers, which review a pull request without
    /// heartbeating. whim judges them by ``staleThresholdSeconds`` and so kills every
    /// verification that runs longer than five minutes; Shiftlog gives them their own limit.
    /// `VERIFICATION_STALE_THRESHOLD`.
    public var verificationStaleThresholdSeconds: Int64 = ShiftlogSettings.verificationStaleThreshold.defaultValue
    /// Retries of an execution item after a failure or kill before it fails for good.
    /// `MAX_RETRIES`.
    public var maxRetries: Int = ShiftlogSettings.maxRetries.defaultValue
    /// Wait before retry 1, 2, 3, …; the last value repeats. `RETRY_BACKOFF_SECONDS`.
    public var retryBackoffSeconds: [Int64] = ShiftlogSettings.retryBackoffSeconds.defaultValue
    /// How far each retry's wait moves, up or down, in thousandths of itself
    /// (``DeterministicJitter``). `RETRY_JITTER`; whim has none.
    public var retryJitterPerMille: Int64 = ShiftlogSettings.retryJitter.defaultValue
    /// Failure categories that fail an item at once instead of retrying it.
    /// `RETRY_NON_RETRYABLE`; whim retries every failure.
    public var nonRetryableCategories: [FailureCategory] = ShiftlogSettings.retryNonRetryable.defaultValue
    /// Retries of a verification item (immediate) before it fails. whim: `VERIFICATION_MAX_RETRIES`.
    public var verificationMaxRetries: Int = ShiftlogSettings.verificationMaxRetries.defaultValue
    /// `maxIterations` of an item added without one. `MAX_ITERATIONS_DEFAULT` (whim: 50).
    public var defaultMaxIterations: Int = ShiftlogSettings.maxIterationsDefault.defaultValue
    /// Seconds a running worker whose item is cancelled has to end before it is stopped as a
    /// kill is. Recorded in each ``CancelRequested``, so a request keeps the grace it was
    /// given. Shiftlog's own (`CANCEL_GRACE_SECONDS`); whim cancels only queued items.
    public var cancelGraceSeconds: Int64 = ShiftlogSettings.cancelGraceSeconds.defaultValue
    /// Seconds a worker's container is left to exit on its own after the worker reported its
    /// end (complete, fail, stuck, or a cancel it honoured) before it is stopped. Shiftlog's
    /// own (`END_GRACE_SECONDS`); whim leaves the container to exit.
    public var endGraceSeconds: Int64 = ShiftlogSettings.endGraceSeconds.defaultValue
    /// The longest one worker may run on an item, from its spawn to its end, for items that
    /// give none of their own; 0 for no limit. `ATTEMPT_TIMEOUT_SECONDS`; whim has none.
    public var attemptTimeoutSeconds: Int64 = ShiftlogSettings.attemptTimeoutSeconds.defaultValue
    /// The longest an item may take from its queueing to its end, for items that give none of
    /// their own; 0 for no limit. `DEADLINE_SECONDS`; whim has none.
    public var deadlineSeconds: Int64 = ShiftlogSettings.deadlineSeconds.defaultValue

    /// The declared defaults: 2 workers, 60 s cooldown, 200 iterations a UTC day, 300 s stale
    /// threshold (1,800 s for verification), 3 retries after 60, 300 and 1,800 s, 50 iterations
    /// an item; and Shiftlog's 30 s grace after a cancel and after a reported end.
    public init() {}

    /// The stale threshold, in seconds, that applies to a worker of `mode`.
    public func staleThresholdSeconds(for mode: SpawnMode) -> Int64 {
        mode == .verification ? verificationStaleThresholdSeconds : staleThresholdSeconds
    }

}

extension LifecycleConfiguration {
    private enum CodingKeys: String, CodingKey {
        case maxWorkers, cooldownSeconds, dailyBudget, staleThresholdSeconds, verificationStaleThresholdSeconds
        case maxRetries, retryBackoffSeconds, verificationMaxRetries, defaultMaxIterations
        case cancelGraceSeconds, endGraceSeconds
        case retryJitterPerMille, nonRetryableCategories, attemptTimeoutSeconds, deadlineSeconds
    }

    /// Encodes the rules. The four added last (jitter, non-retryable categories, attempt
    /// timeout, deadline) are written only when set, so that the state and the export of a
    /// log that never used them read exactly as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxWorkers, forKey: .maxWorkers)
        try c.encode(cooldownSeconds, forKey: .cooldownSeconds)
        try c.encode(dailyBudget, forKey: .dailyBudget)
        try c.encode(staleThresholdSeconds, forKey: .staleThresholdSeconds)
        try c.encode(verificationStaleThresholdSeconds, forKey: .verificationStaleThresholdSeconds)
        try c.encode(maxRetries, forKey: .maxRetries)
        try c.encode(retryBackoffSeconds, forKey: .retryBackoffSeconds)
        try c.encode(verificationMaxRetries, forKey: .verificationMaxRetries)
        try c.encode(defaultMaxIterations, forKey: .defaultMaxIterations)
        try c.encode(cancelGraceSeconds, forKey: .cancelGraceSeconds)
        try c.encode(endGraceSeconds, forKey: .endGraceSeconds)
        if retryJitterPerMille != 0 { try c.encode(retryJitterPerMille, forKey: .retryJitterPerMille) }
        if !nonRetryableCategories.isEmpty { try c.encode(nonRetryableCategories, forKey: .nonRetryableCategories) }
        if attemptTimeoutSeconds != 0 { try c.encode(attemptTimeoutSeconds, forKey: .attemptTimeoutSeconds) }
        if deadlineSeconds != 0 { try c.encode(deadlineSeconds, forKey: .deadlineSeconds) }
    }

    /// Decodes the rules; those added after the first nine (the graces, then the jitter, the
    /// non-retryable categories and the time limits), which rules recorded before them lack,
    /// take their defaults when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        maxWorkers = try c.decode(Int.self, forKey: .maxWorkers)
        cooldownSeconds = try c.decode(Int64.self, forKey: .cooldownSeconds)
        dailyBudget = try c.decode(Int.self, forKey: .dailyBudget)
        staleThresholdSeconds = try c.decode(Int64.self, forKey: .staleThresholdSeconds)
        verificationStaleThresholdSeconds = try c.decode(Int64.self, forKey: .verificationStaleThresholdSeconds)
        maxRetries = try c.decode(Int.self, forKey: .maxRetries)
        retryBackoffSeconds = try c.decode([Int64].self, forKey: .retryBackoffSeconds)
        verificationMaxRetries = try c.decode(Int.self, forKey: .verificationMaxRetries)
        defaultMaxIterations = try c.decode(Int.self, forKey: .defaultMaxIterations)
        cancelGraceSeconds = try c.decodeIfPresent(Int64.self, forKey: .cancelGraceSeconds) ?? cancelGraceSeconds
        endGraceSeconds = try c.decodeIfPresent(Int64.self, forKey: .endGraceSeconds) ?? endGraceSeconds
        retryJitterPerMille = try c.decodeIfPresent(Int64.self, forKey: .retryJitterPerMille) ?? retryJitterPerMille
        nonRetryableCategories =
            try c.decodeIfPresent([FailureCategory].self, forKey: .nonRetryableCategories) ?? nonRetryableCategories
        attemptTimeoutSeconds = try c.decodeIfPresent(Int64.self, forKey: .attemptTimeoutSeconds) ?? attemptTimeoutSeconds
        deadlineSeconds = try c.decodeIfPresent(Int64.self, forKey: .deadlineSeconds) ?? deadlineSeconds
    }
}
