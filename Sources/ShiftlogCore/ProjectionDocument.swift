/// The projections as one readable document, in whim's field names: what snapshots, tools
/// and tests print. Arrays are sorted, so equal states give equal bytes.
public struct ProjectionDocument: Sendable, Hashable, Codable {
    /// The sequence of the last event folded in; 0 for an empty log.
    public var lastSequence: UInt64
    /// Every worker the projections hold, by id.
    public var workers: [Worker]
    /// Every item the projections hold, oldest first.
    public var workItems: [WorkItem]
    /// Ids of queued items in the order `next` would consider them.
    public var queue: [WorkItemID]
    /// Every lock, by repository and path.
    public var locks: [FileLock]
    /// The rate limiter's inputs.
    public var rateLimits: RateLimits
    /// Counts and means over all workers, retired ones included.
    public var stats: WorkerStats
    /// Counts of items by status, retired ones included.
    public var queueStats: QueueStats
    /// Metrics of completed workers, oldest first.
    public var metrics: [WorkerMetricsRecord]
    /// Learnings, oldest first.
    public var learnings: [LearningRecord]
    /// Reviews, oldest first.
    public var reviews: [ReviewRecord]
    /// The last log lines of each finished worker's container, by worker id.
    public var capturedLogs: [String: [String]]
    /// The rules last recorded in the log, if any.
    public var configuration: LifecycleConfiguration?

    /// What the rate limiter reads: the active count, the last spawn and the daily iterations.
    public struct RateLimits: Sendable, Hashable, Codable {
        /// Workers starting or running.
        public var activeWorkers: Int
        /// When the last worker was spawned, if ever.
        public var lastSpawn: Timestamp?
        /// Iterations counted per UTC day (`YYYY-MM-DD`).
        public var iterationsByDay: [String: Int]
    }

    /// The document of `state`.
    public init(_ state: LifecycleState) {
        lastSequence = state.lastSequence
        workers = state.workers.values.sorted { $0.id < $1.id }
        workItems = state.workItems(type: nil, status: nil)
        queue = state.queueOrder.map(\.id)
        locks = state.allLocks
        rateLimits = RateLimits(
            activeWorkers: state.activeWorkerCount, lastSpawn: state.rateLimit.lastSpawn,
            iterationsByDay: state.rateLimit.iterationsByDay)
        stats = state.workerStats
        queueStats = state.queueStats
        metrics = Array(state.metrics)
        learnings = Array(state.learnings)
        reviews = Array(state.reviews)
        capturedLogs = Dictionary(uniqueKeysWithValues: state.capturedLogs.map { ($0.key, $0.value) })
        configuration = state.configuration
    }
}
