import HashTreeCollections

/// Whether a new worker may be spawned now, and if not, why.
public struct CapacityReport: Sendable, Hashable, Codable {
    /// Whether a spawn would be allowed now.
    public var allowed: Bool
    /// Workers starting or running.
    public var activeWorkers: Int
    /// The most that may be active at once.
    public var maxWorkers: Int
    /// Iterations reported on this UTC day.
    public var iterationsToday: Int
    /// The most iterations a UTC day allows.
    public var dailyBudget: Int
    /// When the last worker was spawned, if ever.
    public var lastSpawn: Timestamp?
    /// The wait after a spawn before the next one.
    public var cooldownSeconds: Int64
    /// Why a spawn would be refused; `nil` when allowed.
    public var refusal: LifecycleError?

    private enum CodingKeys: String, CodingKey {
        case allowed, activeWorkers, maxWorkers, iterationsToday, dailyBudget, lastSpawn, cooldownSeconds, refusal
    }
}



/// Counts and averages over all workers, as whim's `getStats` returns them.
public struct WorkerStats: Sendable, Hashable, Codable {
    /// Workers ever spawned, including those the projections no longer keep.
    public var total: Int
    /// Workers by status name, every status present.
    public var byStatus: [String: Int]
    /// Mean iteration of completed workers.
    public var avgIterations: Double
    /// Mean `duration` (ms) over recorded metrics.
    public var avgDuration: Double
}

/// Counts of work items by status, and the oldest queued one.
public struct QueueStats: Sendable, Hashable, Codable {
    /// Items ever added, including those the projections no longer keep.
    public var total: Int
    /// Items by status name, every status present.
    public var byStatus: [String: Int]
    /// Items queued now.
    public var size: Int
    /// When the oldest queued item was added; `nil` when none is queued.
    public var oldest: Timestamp?
}

extension LifecycleState {
    /// The rate limiter's verdict at `now`: active < max, cooldown elapsed, daily budget left.
    public func capacity(at now: Timestamp, _ config: LifecycleConfiguration) -> CapacityReport {
        let iterationsToday = rateLimit.iterations(on: now)
        var refusal: LifecycleError?
        if activeWorkerCount >= config.maxWorkers {
            refusal = LifecycleError(
                .capacityExceeded, "\(activeWorkerCount) of \(config.maxWorkers) workers are active")
        } else if let last = rateLimit.lastSpawn,
            case let cooldown = config.cooldownSeconds.multipliedSaturating(by: 1_000),
            now.milliseconds(since: last) < cooldown
        {
            let wait = cooldown.subtractingSaturating(now.milliseconds(since: last)).addingSaturating(999) / 1_000
            refusal = LifecycleError(.cooldownActive, "last spawn at \(last); cooldown ends in \(wait)s")
        } else if iterationsToday >= config.dailyBudget {
            refusal = LifecycleError(
                .dailyBudgetExhausted, "\(iterationsToday) of \(config.dailyBudget) iterations used on \(now.utcDay)")
        }
        return CapacityReport(
            allowed: refusal == nil, activeWorkers: activeWorkerCount, maxWorkers: config.maxWorkers,
            iterationsToday: iterationsToday, dailyBudget: config.dailyBudget, lastSpawn: rateLimit.lastSpawn,
            cooldownSeconds: config.cooldownSeconds, refusal: refusal)
    }

    /// The active (starting or running) workers, by id: read from the index of active
    /// workers, so finished ones cost nothing however many the log has seen.
    public var activeWorkersById: [Worker] {
        activeWorkerByItem.values.compactMap { workers[$0] }.sorted { $0.id < $1.id }
    }

    /// Active workers whose last heartbeat is older than their mode's stale threshold at
    /// `now`, the longest silent first.
    public func staleWorkers(at now: Timestamp, _ config: LifecycleConfiguration) -> [Worker] {
        activeWorkerByItem.values
            .compactMap { workers[$0] }
            .filter { $0.isStale(at: now, config) }
            .sorted { ($0.lastHeartbeat, $0.id) < ($1.lastHeartbeat, $1.id) }
    }

    /// Queued items in the order `next` hands them out: execution before verification, then
    /// priority (critical first), then oldest first.
    public var queueOrder: [WorkItem] {
        queuedItems.compactMap { workItems[$0] }.sorted(by: LifecycleState.queuePrecedes)
    }

    /// The item `next` would hand out at `now`: the first queued one whose retry time has come.
    public func nextReadyItem(at now: Timestamp) -> WorkItem? {
        var best: WorkItem?
        for id in queuedItems {
            guard let item = workItems[id], (item.nextRetryAt ?? now) <= now else { continue }
            if best.map({ LifecycleState.queuePrecedes(item, $0) }) ?? true { best = item }
        }
        return best
    }

    /// The item an add with this `Idempotency-Key` queued, while it is in the projections.
    public func workItem(idempotencyKey key: String) -> WorkItem? {
        let recorded = JSONValue.string(key)
        return workItems.values.first { $0.metadata[NewWorkItem.idempotencyKeyField] == recorded }
    }

    /// Whether `a` comes before `b` in the queue: execution first, then priority, then age
    /// (creation time, then arrival order for items created in the same millisecond).
    public static func queuePrecedes(_ a: WorkItem, _ b: WorkItem) -> Bool {
        if a.type != b.type { return a.type == .execution }
        if a.priority != b.priority { return a.priority.rank > b.priority.rank }
        return olderFirst(a, b)
    }

    /// Whether `a` arrived before `b`: creation time, then the sequence of the event that
    /// added it, then (when neither is known) the id.
    public static func olderFirst(_ a: WorkItem, _ b: WorkItem) -> Bool {
        (a.createdAt, a.arrival, a.id) < (b.createdAt, b.arrival, b.id)
    }

    /// All workers, newest first.
    public var workersNewestFirst: [Worker] {
        workers.values.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
    }

    /// Work items, optionally filtered, oldest first.
    public func workItems(type: WorkItemType? = nil, status: WorkItemStatus? = nil) -> [WorkItem] {
        workItems.values
            .filter { (type == nil || $0.type == type) && (status == nil || $0.status == status) }
            .sorted(by: LifecycleState.olderFirst)
    }

    /// Counts by status and averages; all zero when there are no workers. Sums saturate (and
    /// durations add up as `Double`), so values an older build let into a log cannot trap.
    public var workerStats: WorkerStats {
        var byStatus = Dictionary(uniqueKeysWithValues: WorkerStatus.allCases.map { ($0.rawValue, 0) })
        byStatus.merge(retired.workersByStatus, uniquingKeysWith: +)
        var completedIterations = retired.completedIterations
        var completedCount = retired.workersByStatus[WorkerStatus.completed.rawValue] ?? 0
        for worker in workers.values {
            byStatus[worker.status.rawValue, default: 0] += 1
            if worker.status == .completed {
                completedIterations = completedIterations.addingSaturating(worker.iteration)
                completedCount += 1
            }
        }
        let durations = metrics.compactMap(\.metrics.duration)
        let durationCount = durations.count + retired.durations
        let durationTotal = durations.reduce(Double(retired.durationTotal)) { $0 + Double($1) }
        return WorkerStats(
            total: workers.count + retired.workers, byStatus: byStatus,
            avgIterations: completedCount == 0 ? 0 : Double(completedIterations) / Double(completedCount),
            avgDuration: durationCount == 0 ? 0 : durationTotal / Double(durationCount))
    }

    /// Tokens reported in all metrics, the retired ones included. Sums saturate.
    public var tokenTotals: (tokensIn: Int, tokensOut: Int) {
        metrics.reduce((retired.tokensIn, retired.tokensOut)) { sum, record in
            (sum.0.addingSaturating(record.metrics.tokensIn ?? 0), sum.1.addingSaturating(record.metrics.tokensOut ?? 0))
        }
    }

    /// Counts of work items by status, the queue size and the oldest queued item's time.
    public var queueStats: QueueStats {
        var byStatus = Dictionary(uniqueKeysWithValues: WorkItemStatus.allCases.map { ($0.rawValue, 0) })
        byStatus.merge(retired.itemsByStatus, uniquingKeysWith: +)
        for item in workItems.values { byStatus[item.status.rawValue, default: 0] += 1 }
        let oldest = queuedItems.compactMap { workItems[$0]?.createdAt }.min()
        return QueueStats(total: workItems.count + retired.items, byStatus: byStatus, size: queuedItems.count, oldest: oldest)
    }
}

extension Worker {
    /// Whether the worker's last heartbeat is more than its mode's stale threshold before `now`.
    public func isStale(at now: Timestamp, _ config: LifecycleConfiguration) -> Bool {
        now.milliseconds(since: lastHeartbeat) > config.staleThresholdSeconds(for: mode).multipliedSaturating(by: 1_000)
    }
}
