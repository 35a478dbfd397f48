public import ShiftlogCore

/// Everything an embedding orchestrator can tune. The lifecycle rules live in
/// ``lifecycle``; the rest configures effects and storage.
public struct EngineConfiguration: Sendable {
    /// The rules: capacity, cooldown, budget, stale threshold, retries.
    public var lifecycle = LifecycleConfiguration()
    /// Image of worker containers. `WORKER_IMAGE` (whim: `whim-worker:latest`).
    public var workerImage = ShiftlogSettings.workerImage.defaultValue
    /// The command workers run; empty runs the image's own entry point. The process runtime
    /// needs one (it has no image).
    public var workerCommand: [String] = []
    /// Given to workers as `ORCHESTRATOR_URL`; by default this machine at the default `PORT`.
    public var orchestratorURL = "http://127.0.0.1:\(ShiftlogSettings.port.defaultValue)"
    /// Extra environment for every worker (e.g. `GITHUB_TOKEN`). Passed to the runtime only;
    /// never written into an event.
    public var workerEnvironment: [String: String] = [:]
    /// Environment for one worker, applied last (it may replace `ORCHESTRATOR_URL`): how the
    /// HTTP service hands each worker a URL holding its own credential. Passed to the runtime
    /// only; never written into an event.
    public var environmentOfWorker: (@Sendable (WorkerID) -> [String: String])?
    /// Resource limits of worker containers (whim: 4 GiB memory and swap, 2 CPUs, 256 pids).
    public var limits = ContainerLimits()
    /// Grace period before a stopped container is killed.
    public var stopGraceSeconds: Int64 = 10
    /// Log lines captured when a worker's container is stopped.
    public var capturedLogLines = 50
    /// Keep a finished worker's container (stopped) after its logs are captured, for a
    /// person to look into; by default it is removed.
    public var keepFinishedContainers = false
    /// A worker still `starting` with no container this long after its spawn is given up as
    /// a spawn failure (its item goes back to the queue), checked by ``Engine/tick()``.
    /// `START_DEADLINE_SECONDS`.
    public var startDeadlineSeconds: Int64 = ShiftlogSettings.startDeadlineSeconds.defaultValue
    /// How often the engine compares its active workers with the runtime's containers (and
    /// once at open). `nil`: only when ``Engine/reconcile()`` is called.
    /// `RECONCILE_INTERVAL_SECONDS` (`shiftlog serve` runs it from its loop instead).
    public var reconcileInterval: Duration? = .seconds(ShiftlogSettings.reconcileIntervalSeconds.defaultValue)
    /// Names this Shiftlog instance in container labels, so reconciliation finds its own.
    /// `CONTAINER_LABEL`.
    public var instanceName = ShiftlogSettings.containerLabel.defaultValue
    /// A projection snapshot is written after this many events (0: never).
    public var snapshotInterval: UInt64 = 10_000
    /// Most commands one write transaction carries (group commit).
    public var maxBatchSize = 512
    /// After a batch of several commands, how long the writer may wait for as many to queue
    /// up before it writes the next one (0: never wait). A lone caller never waits.
    public var batchGatherMicroseconds: Int64 = 200
    /// How effect handlers retry failures, and when they give an effect up.
    public var effectRetry = EffectRetryPolicy()
    /// How often, at most, an effect handler stores its position on its own transaction,
    /// when it has passed events that called for nothing (a heartbeat, say). An outcome
    /// always carries the position, and a handler stopped by ``Engine/close()`` stores it; so
    /// after a crash a handler sees again at most this long's worth of events that called for
    /// nothing (effects are idempotent). 0: after every such event, one more write each.
    public var handlerCheckpointInterval: Duration = .seconds(1)

    /// The declared defaults (`ShiftlogSettings`; see each field).
    public init() {}

    /// Refuses settings the engine cannot run with, naming the field.
    ///
    /// - Throws: ``EngineError`` with code ``EngineError/Code/invalidConfiguration``.
    public func validate() throws(EngineError) {
        func refuse(_ field: String, _ rule: String, _ value: some Any) throws(EngineError) {
            throw EngineError(.invalidConfiguration, "EngineConfiguration.\(field) must be \(rule) (it is \(value))")
        }
        if maxBatchSize < 1 { try refuse("maxBatchSize", "at least 1", maxBatchSize) }
        if batchGatherMicroseconds < 0 { try refuse("batchGatherMicroseconds", "0 or more", batchGatherMicroseconds) }
        if capturedLogLines < 0 { try refuse("capturedLogLines", "0 or more", capturedLogLines) }
        if stopGraceSeconds < 0 { try refuse("stopGraceSeconds", "0 or more", stopGraceSeconds) }
        if let interval = reconcileInterval, interval <= .zero { try refuse("reconcileInterval", "positive or nil", interval) }
        if handlerCheckpointInterval < .zero {
            try refuse("handlerCheckpointInterval", "0 or more", handlerCheckpointInterval)
        }
        if effectRetry.maxAttempts < 1 { try refuse("effectRetry.maxAttempts", "at least 1", effectRetry.maxAttempts) }
        if effectRetry.initialBackoff < .zero { try refuse("effectRetry.initialBackoff", "0 or more", effectRetry.initialBackoff) }
        if effectRetry.maxBackoff < effectRetry.initialBackoff {
            try refuse("effectRetry.maxBackoff", "at least effectRetry.initialBackoff", effectRetry.maxBackoff)
        }
        if !(effectRetry.multiplier >= 1) { try refuse("effectRetry.multiplier", "at least 1", effectRetry.multiplier) }
    }
}
