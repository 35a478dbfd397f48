/// Every setting of Shiftlog, each declared once. `shiftlog serve` reads them from flags, the
/// environment and a settings file; the rules' defaults (``LifecycleConfiguration``) and
/// ranges (``NumericBounds``) are these; `what-if` takes the ``rules`` as flags of the same
/// names; the README's table is generated from ``all``.
///
/// Adding a setting is one declaration here, listed in ``all``; a lifecycle rule names its
/// field with `rule:` and needs nothing else to be read, checked, shown and re-decided.
public enum ShiftlogSettings {
    /// Every setting, in the order `--help` and the README list them.
    public static let all: [any SettingDeclaration] = [
        port, host, apiKey, orchestratorURL, loopIntervalMilliseconds, reconcileIntervalSeconds, leaderIntervalMilliseconds,
        requestHeaderTimeoutSeconds, requestBodyTimeoutSeconds, idleTimeoutSeconds, maxConnections,
        eventStreamCatchUpMiBPerSecond, consoleSessionMinutes, logLevel,
        store,
        workerImage, workerCommand, startDeadlineSeconds, containerLabel, dockerHost,
        maxWorkers, dailyBudget, cooldownSeconds, staleThreshold, verificationStaleThreshold, maxRetries,
        retryBackoffSeconds, retryJitter, retryNonRetryable, verificationMaxRetries, maxIterationsDefault,
        cancelGraceSeconds, endGraceSeconds, attemptTimeoutSeconds, deadlineSeconds,
    ] + passedToWorkers

    /// The lifecycle rules, which `what-if` takes as flags.
    public static var rules: [any SettingDeclaration] { all.filter(\.isLifecycleRule) }

    // MARK: The service

    /// The `PORT` setting; its `help` says what it tunes.
    public static let port = Setting(
        "PORT", group: .service, help: "Where to listen. 0 picks a free port (workers are given it).",
        default: 3_000, format: .integer(in: 0...65_535))
    /// The `HOST` setting; its `help` says what it tunes.
    public static let host = Setting<String?>(
        "HOST", group: .service,
        help: "The address to listen on. Without API_KEY the management routes are open to whoever reaches the port, so the default is then this machine only.",
        default: nil, defaultNote: "127.0.0.1 without API_KEY, else 0.0.0.0", format: .optionalText)
    /// The `API_KEY` setting; its `help` says what it tunes.
    public static let apiKey = Setting<String?>(
        "API_KEY", group: .service,
        help: "Makes the management routes need it, as X-API-Key or Authorization: Bearer. Environment only.",
        default: nil, format: .optionalText, secret: true)
    /// The `ORCHESTRATOR_URL` setting; its `help` says what it tunes.
    public static let orchestratorURL = Setting<String?>(
        "ORCHESTRATOR_URL", group: .service,
        help: "The URL workers are given to call back (each with its own credential as a path prefix).",
        default: nil, defaultNote: "http://127.0.0.1:PORT", format: .httpURL)
    /// The `LOOP_INTERVAL_MS` setting; its `help` says what it tunes.
    public static let loopIntervalMilliseconds = Setting(
        "LOOP_INTERVAL_MS", group: .service,
        help: "How often the loop runs: expire starts, kill stale workers, reconcile, spawn.",
        default: 5_000, format: .integer(in: 10...3_600_000))
    /// The `RECONCILE_INTERVAL_SECONDS` setting; its `help` says what it tunes.
    public static let reconcileIntervalSeconds = Setting(
        "RECONCILE_INTERVAL_SECONDS", group: .service,
        help: "How often the loop compares the active workers with the runtime's containers; 0: never.",
        default: 60, format: .integer(in: 0...86_400))
    /// The `LEADER_INTERVAL_MS` setting; its `help` says what it tunes.
    public static let leaderIntervalMilliseconds = Setting(
        "LEADER_INTERVAL_MS", group: .service,
        help: "On a shared PostgreSQL log, how often instances try to lead and the leader checks its session: a dead leader is replaced about this long after its session ends.",
        default: 1_000, format: .integer(in: 50...60_000))
    /// The `REQUEST_HEADER_TIMEOUT_SECONDS` setting; its `help` says what it tunes.
    public static let requestHeaderTimeoutSeconds = Setting(
        "REQUEST_HEADER_TIMEOUT_SECONDS", group: .service,
        help: "From a request's first byte to the end of its headers; past it, 408 and the connection closes.",
        default: 10, format: .integer(in: 1...3_600))
    /// The `REQUEST_BODY_TIMEOUT_SECONDS` setting; its `help` says what it tunes.
    public static let requestBodyTimeoutSeconds = Setting(
        "REQUEST_BODY_TIMEOUT_SECONDS", group: .service,
        help: "From the end of a request's headers to the end of its body; past it, 408 and the connection closes.",
        default: 30, format: .integer(in: 1...3_600))
    /// The `IDLE_TIMEOUT_SECONDS` setting; its `help` says what it tunes.
    public static let idleTimeoutSeconds = Setting(
        "IDLE_TIMEOUT_SECONDS", group: .service, help: "How long a kept-alive connection may wait for its next request.",
        default: 60, format: .integer(in: 1...86_400))
    /// The `MAX_CONNECTIONS` setting; its `help` says what it tunes.
    public static let maxConnections = Setting(
        "MAX_CONNECTIONS", group: .service,
        help: "Connections open at once; one more is answered 503 TOO_MANY_CONNECTIONS and closed.",
        default: 1_024, format: .integer(in: 1...1_000_000))
    /// The `EVENT_STREAM_CATCH_UP_MIB_PER_SECOND` setting; its `help` says what it tunes.
    public static let eventStreamCatchUpMiBPerSecond = Setting(
        "EVENT_STREAM_CATCH_UP_MIB_PER_SECOND", group: .service,
        help: "MiB a second that all GET /api/events streams are sent together, after a second's burst (0: unpaced); streams catching up on a long log are slowed to it, so that they leave the cores to the writer and the request handlers.",
        default: 32, format: .integer(in: 0...100_000))
    /// The `CONSOLE_SESSION_MINUTES` setting; its `help` says what it tunes.
    public static let consoleSessionMinutes = Setting(
        "CONSOLE_SESSION_MINUTES", group: .service,
        help: "How long a sign-in to the console lasts (with API_KEY set), from the sign-in; sessions live in the service's memory, so a restart ends them.",
        default: 720, format: .integer(in: 5...43_200))
    /// The `LOG_LEVEL` setting; its `help` says what it tunes.
    public static let logLevel = Setting(
        "LOG_LEVEL", group: .service, help: "The least severe log line written to standard error (--demo: warning).",
        default: "info", format: .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]))

    // MARK: The log

    /// The `SHIFTLOG_STORE` setting; its `help` says what it tunes.
    public static let store = Setting<String?>(
        "SHIFTLOG_STORE", group: .store,
        help: "A PostgreSQL log shared by every instance given the same URL: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]. --path still holds the instance key.",
        default: nil, defaultNote: "the LMDB log in --path", format: .optionalText(shownAs: withoutPassword), flag: "--store")

    // MARK: Workers

    /// The `WORKER_IMAGE` setting; its `help` says what it tunes.
    public static let workerImage = Setting(
        "WORKER_IMAGE", group: .workers, help: "The worker container image.",
        default: "whim-worker:latest", format: .text)
    /// The `WORKER_COMMAND` setting; its `help` says what it tunes.
    public static let workerCommand = Setting<String?>(
        "WORKER_COMMAND", group: .workers,
        help: "A shell command each worker runs (sh -c) instead of its image's own; for local processes the default is `shiftlog worker`.",
        default: nil, format: .optionalText)
    /// The `START_DEADLINE_SECONDS` setting; its `help` says what it tunes.
    public static let startDeadlineSeconds = Setting<Int64>(
        "START_DEADLINE_SECONDS", group: .workers,
        help: "A worker still starting with no container this long after its spawn is given up (its item goes back to the queue).",
        default: 120, format: .integer(in: 1...86_400))
    /// The `CONTAINER_LABEL` setting; its `help` says what it tunes.
    public static let containerLabel = Setting(
        "CONTAINER_LABEL", group: .workers,
        help: "The workers' dev.shiftlog.instance label. Reconciliation removes the containers carrying it that no worker owns, so instances of one log share it and deployments on one Docker daemon must not; change it only while no worker is active, or the running ones are recorded lost.",
        default: "shiftlog", format: .label(maxLength: 128))
    /// The `DOCKER_HOST` setting; its `help` says what it tunes.
    public static let dockerHost = Setting<String?>(
        "DOCKER_HOST", group: .workers,
        help: "The Docker daemon: unix:///path/docker.sock or tcp://HOST:PORT. Environment only, as for the docker command.",
        default: nil, defaultNote: "unix:///var/run/docker.sock", format: .optionalText, sources: [.environment])

    // MARK: Lifecycle rules

    /// The `MAX_WORKERS` setting; its `help` says what it tunes.
    public static let maxWorkers = Setting(
        "MAX_WORKERS", group: .rules, help: "Active (starting or running) workers at most.",
        default: 2, format: .integer(in: 1...10_000), rule: \LifecycleConfiguration.maxWorkers)
    /// The `DAILY_BUDGET` setting; its `help` says what it tunes.
    public static let dailyBudget = Setting(
        "DAILY_BUDGET", group: .rules, help: "Iterations a UTC day; 0 stops spawning.",
        default: 200, format: .integer(in: 0...1_000_000_000), rule: \LifecycleConfiguration.dailyBudget)
    /// The `COOLDOWN_SECONDS` setting; its `help` says what it tunes.
    public static let cooldownSeconds = Setting<Int64>(
        "COOLDOWN_SECONDS", group: .rules, help: "Seconds between two spawns.",
        default: 60, format: .integer(in: 0...86_400), rule: \LifecycleConfiguration.cooldownSeconds)
    /// The `STALE_THRESHOLD` setting; its `help` says what it tunes.
    public static let staleThreshold = Setting<Int64>(
        "STALE_THRESHOLD", group: .rules,
        help: "Seconds without a heartbeat before an execution worker is stale and killed.",
        default: 300, format: .integer(in: 1...604_800), rule: \LifecycleConfiguration.staleThresholdSeconds)
    /// The `VERIFICATION_STALE_THRESHOLD` setting; its `help` says what it tunes.
    public static let verificationStaleThreshold = Setting<Int64>(
        "VERIFICATION_STALE_THRESHOLD", group: .rules,
        help: "The same for verification workers, which review a pull request without heartbeating.",
        default: 1_800, format: .integer(in: 1...604_800), rule: \LifecycleConfiguration.verificationStaleThresholdSeconds)
    /// The `MAX_RETRIES` setting; its `help` says what it tunes.
    public static let maxRetries = Setting(
        "MAX_RETRIES", group: .rules, help: "Retries of an execution item after a failure or kill before it fails for good.",
        default: 3, format: .integer(in: 0...1_000), rule: \LifecycleConfiguration.maxRetries)
    /// The `RETRY_BACKOFF_SECONDS` setting; its `help` says what it tunes.
    public static let retryBackoffSeconds = Setting<[Int64]>(
        "RETRY_BACKOFF_SECONDS", group: .rules,
        help: "Seconds to wait before retry 1, 2, 3…, comma-separated; the last repeats.",
        default: [60, 300, 1_800], format: .integers(in: 0...86_400, count: backoffScheduleLength),
        rule: \LifecycleConfiguration.retryBackoffSeconds)
    /// How many waits a backoff schedule lists: `RETRY_BACKOFF_SECONDS`, or an item's own
    /// `retry.schedule`.
    public static let backoffScheduleLength: ClosedRange<Int> = 1...16
    /// The `RETRY_JITTER` setting; its `help` says what it tunes.
    public static let retryJitter = Setting<Int64>(
        "RETRY_JITTER", group: .rules,
        help: "How far each retry's wait is moved, up or down, as a fraction of itself; drawn from the item's id and the retry's number, so a replay waits the same.",
        default: 0, format: .fraction(in: 0...1_000), rule: \LifecycleConfiguration.retryJitterPerMille)
    /// The `RETRY_NON_RETRYABLE` setting; its `help` says what it tunes.
    public static let retryNonRetryable = Setting<[FailureCategory]>(
        "RETRY_NON_RETRYABLE", group: .rules,
        help: "Failure categories that fail an item at once instead of retrying it, comma-separated (e.g. VALIDATION_ERROR).",
        default: [], format: .list(of: FailureCategory.self), rule: \LifecycleConfiguration.nonRetryableCategories)
    /// The `VERIFICATION_MAX_RETRIES` setting; its `help` says what it tunes.
    public static let verificationMaxRetries = Setting(
        "VERIFICATION_MAX_RETRIES", group: .rules, help: "Immediate retries of a verification item before it fails.",
        default: 3, format: .integer(in: 0...1_000), rule: \LifecycleConfiguration.verificationMaxRetries)
    /// The `MAX_ITERATIONS_DEFAULT` setting; its `help` says what it tunes.
    public static let maxIterationsDefault = Setting(
        "MAX_ITERATIONS_DEFAULT", group: .rules, help: "The maxIterations of an item added without one.",
        default: 50, format: .integer(in: 1...1_000_000), rule: \LifecycleConfiguration.defaultMaxIterations)
    /// The `CANCEL_GRACE_SECONDS` setting; its `help` says what it tunes.
    public static let cancelGraceSeconds = Setting<Int64>(
        "CANCEL_GRACE_SECONDS", group: .rules,
        help: "Seconds a running worker whose item is cancelled has to end before it is stopped as a kill is.",
        default: 30, format: .integer(in: 0...86_400), rule: \LifecycleConfiguration.cancelGraceSeconds)
    /// The `END_GRACE_SECONDS` setting; its `help` says what it tunes.
    public static let endGraceSeconds = Setting<Int64>(
        "END_GRACE_SECONDS", group: .rules,
        help: "Seconds a worker's container is left to exit on its own after the worker reported its end, before it is stopped.",
        default: 30, format: .integer(in: 0...86_400), rule: \LifecycleConfiguration.endGraceSeconds)
    /// The `ATTEMPT_TIMEOUT_SECONDS` setting; its `help` says what it tunes.
    public static let attemptTimeoutSeconds = Setting<Int64>(
        "ATTEMPT_TIMEOUT_SECONDS", group: .rules,
        help: "Longest one worker may run on an item, from spawn to end, before it is killed ('attempt timeout') and the item retried. 0: no limit. An item's attemptTimeoutSeconds wins.",
        default: 0, format: .integer(in: 0...604_800), rule: \LifecycleConfiguration.attemptTimeoutSeconds)
    /// The `DEADLINE_SECONDS` setting; its `help` says what it tunes.
    public static let deadlineSeconds = Setting<Int64>(
        "DEADLINE_SECONDS", group: .rules,
        help: "Longest an item may take from its queueing to its end; past it the item fails ('deadline') and its worker is stopped. 0: no limit. An item's deadlineSeconds wins.",
        default: 0, format: .integer(in: 0...2_592_000), rule: \LifecycleConfiguration.deadlineSeconds)

    // MARK: Passed to workers

    /// The secrets every worker is given as they are, never logged or recorded.
    public static let passedToWorkers: [Setting<String?>] = ["GITHUB_TOKEN", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY"]
        .map { name in
            Setting<String?>(
                name, group: .passedToWorkers, help: "Handed to every worker as it is. Environment only.",
                default: nil, format: .optionalText, secret: true)
        }
}

/// A store URL as `--print-config` shows it: the password, if any, replaced.
private func withoutPassword(_ url: String) -> String {
    guard let scheme = url.firstRange(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
    let userInfo = url[scheme.upperBound..<at]
    guard let colon = userInfo.firstIndex(of: ":") else { return url }
    return String(url[..<url.index(after: colon)]) + "(redacted)" + String(url[at...])
}
