import ShiftlogCore
import ShiftlogEngine

/// `GET /api/status`: whim's shape, plus the health of the effect handlers. `status` is
/// `healthy` exactly when a spawn would be allowed now, as in whim, and `degraded` otherwise.
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

    init(capacity: CapacityReport, queue: QueueStats) {
        status = capacity.allowed ? "healthy" : "degraded"
        workers = Workers(active: capacity.activeWorkers, maxWorkers: capacity.maxWorkers)
        self.queue = Queue(size: queue.size, oldest: queue.oldest)
        rateLimits = RateLimits(
            iterationsToday: capacity.iterationsToday, dailyBudget: capacity.dailyBudget, lastSpawn: capacity.lastSpawn,
            cooldownSeconds: capacity.cooldownSeconds)
    }
}
