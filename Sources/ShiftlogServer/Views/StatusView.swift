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
        var oldest: Timestamp?

        // `null` when empty, as whim's dashboard expects.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(size, forKey: .size)
            try container.encode(oldest, forKey: .oldest)
        }
        private enum CodingKeys: String, CodingKey { case size, oldest }
    }
    struct RateLimits: Encodable, Sendable {
        var iterationsToday: Int
        var dailyBudget: Int
        var lastSpawn: Timestamp?
        var cooldownSeconds: Int64

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(iterationsToday, forKey: .iterationsToday)
            try container.encode(dailyBudget, forKey: .dailyBudget)
            try container.encode(lastSpawn, forKey: .lastSpawn)
            try container.encode(cooldownSeconds, forKey: .cooldownSeconds)
        }
        private enum CodingKeys: String, CodingKey { case iterationsToday, dailyBudget, lastSpawn, cooldownSeconds }
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
    var lastError: String?
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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(appliedSequence, forKey: .appliedSequence)
        try container.encode(lag, forKey: .lag)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try container.encode(abandonedEffects, forKey: .abandonedEffects)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(running, forKey: .running)
        try container.encode(degraded, forKey: .degraded)
    }
    private enum CodingKeys: String, CodingKey {
        case name, appliedSequence, lag, consecutiveFailures, abandonedEffects, lastError, running, degraded
    }
}
