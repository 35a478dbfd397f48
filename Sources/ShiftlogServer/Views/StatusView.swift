import ShiftlogCore
import ShiftlogEngine

/// `GET /api/status`: whim's shape, plus the health of the effect handlers. `status` is
/// `healthy` exactly when a spawn would be allowed now and every effect handler keeps up
/// without failing; `degraded` otherwise (whim looks at the spawn rules only).
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

    var status: String
    var workers: Workers
    var queue: Queue
    var rateLimits: RateLimits
    /// Each effect handler: how far it is behind the log, and whether it is failing.
    var effects: [EffectView]

    init(capacity: CapacityReport, queue: QueueStats, handlers: [HandlerStatus]) {
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
