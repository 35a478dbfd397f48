/// The rate limiter's state: when the last worker was spawned and how many iterations each
/// UTC day has counted. The active count is derived from the workers.
public struct RateLimitState: Sendable, Hashable, Codable {
    /// The time of the most recent `workerSpawned`, for the cooldown.
    public var lastSpawn: Timestamp?
    /// Iterations counted per UTC day (`YYYY-MM-DD`), for the daily budget.
    public var iterationsByDay: [String: Int]

    /// A rate limiter's state; empty by default.
    public init(lastSpawn: Timestamp? = nil, iterationsByDay: [String: Int] = [:]) {
        self.lastSpawn = lastSpawn
        self.iterationsByDay = iterationsByDay
    }

    /// Iterations counted on the UTC day that contains `time`.
    public func iterations(on time: Timestamp) -> Int {
        iterationsByDay[time.utcDay] ?? 0
    }
}
