@_exported public import HashTreeCollections

/// The projections: everything the events say, folded. A value type built on persistent hash
/// tries, so a copy handed to a reader costs O(1) and the writer's next change copies only
/// the paths it touches.
public struct LifecycleState: Sendable, Equatable {
    /// The sequence number of the last event folded in; 0 for an empty log.
    public internal(set) var lastSequence: UInt64 = 0
    /// The time of the last event folded in.
    public internal(set) var lastEventTime: Timestamp?
    /// Every worker by id, until ``retention`` after it ended.
    public internal(set) var workers: TreeDictionary<WorkerID, Worker> = [:]
    /// Every work item by id, until ``retention`` after it finished.
    public internal(set) var workItems: TreeDictionary<WorkItemID, WorkItem> = [:]
    /// Locks by repository, then by path.
    public internal(set) var locks: TreeDictionary<String, TreeDictionary<String, FileLock>> = [:]
    /// The last spawn and the iterations of each UTC day, for the cooldown and the budget.
    public internal(set) var rateLimit = RateLimitState()
    /// Metrics of completed workers, oldest first, for ``retention`` after they were recorded.
    public internal(set) var metrics = RecordQueue<WorkerMetricsRecord>()
    /// Learnings, oldest first: the newest ``learningCapacity``.
    public internal(set) var learnings = RecordQueue<LearningRecord>()
    /// Reviews, oldest first, for ``retention`` after they were recorded.
    public internal(set) var reviews = RecordQueue<ReviewRecord>()
    /// The rules last recorded by an engine (``ConfigurationRecorded``); `nil` before any.
    public internal(set) var configuration: LifecycleConfiguration?
    /// The instance leading a log shared by several instances (none on a log one process
    /// writes): the last `leaderElected`.
    public internal(set) var leadership: Leadership?
    /// The last log lines captured when each finished worker's container was stopped, by
    /// worker; they leave with the worker (``retention``).
    public internal(set) var capturedLogs: TreeDictionary<WorkerID, [String]> = [:]
    /// Finished workers and items that have left the projections (see ``retention``).
    public internal(set) var retired = RetiredCounts()
    /// The cancel asked of each active worker whose item is being cancelled; a worker's
    /// leaves when it ends.
    public internal(set) var cancelRequests: TreeDictionary<WorkerID, CancelRequest> = [:]
    /// Workers that reported their end (complete, fail, stuck) and whose container is left to
    /// exit on its own, by the time of that end; each leaves when its end grace elapses.
    public internal(set) var awaitingExit: TreeDictionary<WorkerID, Timestamp> = [:]
    /// The own retry rules and time limits of each item that gave any, by item; an item's
    /// leaves with it.
    public internal(set) var policies: TreeDictionary<WorkItemID, WorkItemPolicy> = [:]
    /// When each item retried or requeued by hand went back to the queue: its deadline
    /// counts from then instead of from its `createdAt`.
    public internal(set) var deadlineStarts: TreeDictionary<WorkItemID, Timestamp> = [:]

    // Indexes derived from the data above, kept in step by `evolve` and rebuilt on decode.
    /// The active worker of each item that has one.
    public internal(set) var activeWorkerByItem: TreeDictionary<WorkItemID, WorkerID> = [:]
    /// Items with status `queued`.
    public internal(set) var queuedItems: TreeSet<WorkItemID> = []
    /// The locks each worker holds.
    public internal(set) var locksByWorker: TreeDictionary<WorkerID, TreeSet<LockKey>> = [:]
    /// When finished workers and items are due to leave.
    var retirement = RetirementSchedule()

    /// The state of an empty log.
    public init() {}

    /// Active (starting or running) workers.
    public var activeWorkerCount: Int { activeWorkerByItem.count }

    /// The worker holding a lock, if any.
    public func holder(repo: String, path: String) -> FileLock? {
        locks[repo]?[path]
    }

    /// The locks a worker holds, sorted.
    public func locks(of workerId: WorkerID) -> [FileLock] {
        (locksByWorker[workerId] ?? []).sorted().compactMap { holder(repo: $0.repo, path: $0.path) }
    }

    /// Every lock, sorted by repository and path.
    public var allLocks: [FileLock] {
        locks.flatMap { $0.value.values }.sorted { LockKey(repo: $0.repo, path: $0.path) < LockKey(repo: $1.repo, path: $1.path) }
    }
}

extension LifecycleState: Codable {
    private enum CodingKeys: String, CodingKey {
        case lastSequence, lastEventTime, workers, workItems, locks, rateLimit, metrics, learnings, reviews
        case capturedLogs, configuration, retired, arrivals, leadership, cancelRequests, awaitingExit
        case policies, deadlineStarts
    }

    /// Encodes the data, not the indexes; with sorted keys the bytes depend only on the
    /// events folded, never on hash order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lastSequence, forKey: .lastSequence)
        try c.encode(lastEventTime, forKey: .lastEventTime)
        try c.encode(workers, forKey: .workers)
        try c.encode(workItems, forKey: .workItems)
        try c.encode(locks, forKey: .locks)
        try c.encode(rateLimit, forKey: .rateLimit)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(learnings, forKey: .learnings)
        try c.encode(reviews, forKey: .reviews)
        try c.encode(capturedLogs, forKey: .capturedLogs)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(retired, forKey: .retired)
        // Not in whim's item shape, so beside the items: each item's arrival order.
        try c.encode(Dictionary(uniqueKeysWithValues: workItems.values.map { ($0.id, $0.arrival) }), forKey: .arrivals)
        // Only on a shared log, so that the state of a log one process writes reads as before.
        try c.encodeIfPresent(leadership, forKey: .leadership)
        // Only when there are any, so that the state of a log without cancels or ends left to
        // exit reads as before.
        if !cancelRequests.isEmpty { try c.encode(cancelRequests, forKey: .cancelRequests) }
        if !awaitingExit.isEmpty { try c.encode(awaitingExit, forKey: .awaitingExit) }
        if !policies.isEmpty { try c.encode(policies, forKey: .policies) }
        if !deadlineStarts.isEmpty { try c.encode(deadlineStarts, forKey: .deadlineStarts) }
    }

    /// Decodes the projections from the JSON that ``encode(to:)-(Encoder)`` writes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lastSequence = try c.decode(UInt64.self, forKey: .lastSequence)
        lastEventTime = try c.decodeIfPresent(Timestamp.self, forKey: .lastEventTime)
        workers = try c.decode(TreeDictionary<WorkerID, Worker>.self, forKey: .workers)
        workItems = try c.decode(TreeDictionary<WorkItemID, WorkItem>.self, forKey: .workItems)
        // A key is always its value's id (the binary layout does not even store it): a
        // snapshot where they differ is damaged, and would not survive a re-encoding.
        func mismatch(_ field: CodingKeys, _ key: String, _ id: String) -> DecodingError {
            .dataCorruptedError(forKey: field, in: c, debugDescription: "the entry under '\(key)' has the id '\(id)'")
        }
        for (key, worker) in workers where key != worker.id { throw mismatch(.workers, key, worker.id) }
        for (key, item) in workItems where key != item.id { throw mismatch(.workItems, key, item.id) }
        locks = try c.decode(TreeDictionary<String, TreeDictionary<String, FileLock>>.self, forKey: .locks)
        rateLimit = try c.decode(RateLimitState.self, forKey: .rateLimit)
        metrics = try c.decode(RecordQueue<WorkerMetricsRecord>.self, forKey: .metrics)
        learnings = try c.decode(RecordQueue<LearningRecord>.self, forKey: .learnings)
        reviews = try c.decode(RecordQueue<ReviewRecord>.self, forKey: .reviews)
        capturedLogs = try c.decode(TreeDictionary<WorkerID, [String]>.self, forKey: .capturedLogs)
        configuration = try c.decodeIfPresent(LifecycleConfiguration.self, forKey: .configuration)
        retired = try c.decodeIfPresent(RetiredCounts.self, forKey: .retired) ?? RetiredCounts()
        leadership = try c.decodeIfPresent(Leadership.self, forKey: .leadership)
        cancelRequests = try c.decodeIfPresent(TreeDictionary<WorkerID, CancelRequest>.self, forKey: .cancelRequests) ?? [:]
        awaitingExit = try c.decodeIfPresent(TreeDictionary<WorkerID, Timestamp>.self, forKey: .awaitingExit) ?? [:]
        policies = try c.decodeIfPresent(TreeDictionary<WorkItemID, WorkItemPolicy>.self, forKey: .policies) ?? [:]
        deadlineStarts = try c.decodeIfPresent(TreeDictionary<WorkItemID, Timestamp>.self, forKey: .deadlineStarts) ?? [:]
        for (id, arrival) in try c.decodeIfPresent([WorkItemID: UInt64].self, forKey: .arrivals) ?? [:] {
            workItems[id]?.arrival = arrival
        }
        rebuildIndexes()
    }
}
