import ShiftlogCore
import ShiftlogEngine

/// `GET /api/status`: whim's shape, plus the health of the effect handlers. `status` is
/// `healthy` exactly when a spawn would be allowed now and every effect handler keeps up
/// without failing; `degraded` otherwise (whim looks at the spawn rules only). On a log shared by
/// several instances, `leader` names the instance that leads (the last `leaderElected`) and
/// says whether this one does; it is `null` on a log of one's own.
struct StatusView: Encodable, Sendable {
    struct Workers: Encodable, Sendable {
        var active: Int
        var maxWorkers: Int
    }
    struct Queue: Encodable, Sendable {
        var size: Int
        @NullWhenAbsent var oldest: Timestamp?
    }
    struct RateLimits: Encodable, Sendable {
        var iterationsToday: Int
        var dailyBudget: Int
        @NullWhenAbsent var lastSpawn: Timestamp?
        var cooldownSeconds: Int64
    }
    struct Leader: Encodable, Sendable {
        /// Its host name and process id.
        var instance: String
        var term: UInt64
        /// Whether this instance is the leader now (and runs the loop and the effects).
        var leading: Bool
    }

    var status: String
    var workers: Workers
    var queue: Queue
    var rateLimits: RateLimits
    /// Each effect handler: how far it is behind the log, and whether it is failing.
    var effects: [EffectView]
    @NullWhenAbsent var leader: Leader?

    init(capacity: CapacityReport, queue: QueueStats, handlers: [HandlerStatus], leadership: Leadership? = nil, leading: Bool = false) {
        leader = leadership.map { Leader(instance: $0.instance, term: $0.term, leading: leading) }
        effects = handlers.map(EffectView.init)
        status = capacity.allowed && !handlers.contains(where: \.isDegraded) ? "healthy" : "degraded"
        workers = Workers(active: capacity.activeWorkers, maxWorkers: capacity.maxWorkers)
        self.queue = Queue(size: queue.size, oldest: queue.oldest)
        rateLimits = RateLimits(
            iterationsToday: capacity.iterationsToday, dailyBudget: capacity.dailyBudget, lastSpawn: capacity.lastSpawn,
            cooldownSeconds: capacity.cooldownSeconds)
    }
}

/// One effect handler in `/api/status` and `/health`.
struct EffectView: Encodable, Sendable {
    var name: String
    var appliedSequence: UInt64
    var lag: UInt64
    var consecutiveFailures: Int
    var abandonedEffects: Int
    @NullWhenAbsent var lastError: String?
    var running: Bool
    var degraded: Bool

    init(_ status: HandlerStatus) {
        name = status.name
        appliedSequence = status.appliedSequence
        lag = status.lag
        consecutiveFailures = status.consecutiveFailures
        abandonedEffects = status.abandonedEffects
        lastError = status.stopReason ?? status.lastError
        running = status.isRunning
        degraded = status.isDegraded
    }
}
