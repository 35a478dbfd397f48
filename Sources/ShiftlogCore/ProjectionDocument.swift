/// The projections as one readable document, in whim's field names: what snapshots, tools
/// and tests print. Arrays are sorted, so equal states give equal bytes.
public struct ProjectionDocument: Sendable, Hashable, Codable {
    public var lastSequence: UInt64
    public var workers: [Worker]
    public var workItems: [WorkItem]
    /// Ids of queued items in the order `next` would consider them.
    public var queue: [WorkItemID]
    public var locks: [FileLock]
    public var rateLimits: RateLimits
    public var stats: WorkerStats
    public var queueStats: QueueStats
    public var metrics: [WorkerMetricsRecord]
    public var learnings: [LearningRecord]
    public var reviews: [ReviewRecord]
    public var capturedLogs: [String: [String]]
    /// The rules last recorded in the log, if any.
    public var configuration: LifecycleConfiguration?

    public struct RateLimits: Sendable, Hashable, Codable {
        public var activeWorkers: Int
        public var lastSpawn: Timestamp?
        public var iterationsByDay: [String: Int]
    }

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
