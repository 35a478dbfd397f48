import DequeModule
import HashTreeCollections

/// Finished workers and items leave the projections ``LifecycleState/retention`` after they
/// finished, so that what an engine holds in memory, snapshots and folds stays the size of
/// its recent work however long the log grows. The log keeps them: `shiftlog timeline` and
/// `events` still tell their story, and the counts in the stats include them
/// (``RetiredCounts``).
///
/// The clock is the log's own (the time of the event being folded), so replay retires exactly
/// what the live engine retired.
extension LifecycleState {
    /// How long a finished worker (from `completedAt`) or a finished item (from its last
    /// change) stays in the projections: 7 days.
    public static let retention: Int64 = 7 * 86_400

    /// How many learnings the projections keep: the newest. Learnings are knowledge for later
    /// workers rather than a record of recent work, so they are bounded by count, not age.
    public static let learningCapacity = 1_000

    /// Removes the workers and items whose time in the projections is over at `now`.
    mutating func retireFinished(at now: Timestamp) {
        let cutoff = now.adding(seconds: -Self.retention)
        while let due = retirement.workers.first, due.time <= cutoff {
            retirement.workers.removeFirst()
            guard let worker = workers[due.id], !worker.status.isActive, worker.completedAt == due.time else { continue }
            workers[due.id] = nil
            capturedLogs[due.id] = nil
            awaitingExit[due.id] = nil
            retired.count(worker)
        }
        while let due = retirement.items.first, due.time <= cutoff {
            retirement.items.removeFirst()
            // An entry is stale when the item changed after it was scheduled (a newer entry exists).
            guard let item = workItems[due.id], item.isTerminal, item.updatedAt == due.time else { continue }
            workItems[due.id] = nil
            policies[due.id] = nil
            deadlineStarts[due.id] = nil
            retired.count(item)
        }
        while let first = metrics.first, first.recordedAt <= cutoff {
            metrics.removeFirst()
            retired.count(first)
        }
        while let first = reviews.first, first.recordedAt <= cutoff {
            reviews.removeFirst()
            retired.reviews += 1
        }
    }

    /// Keeps the newest ``learningCapacity`` learnings.
    mutating func retireOldLearnings() {
        while learnings.count > Self.learningCapacity {
            learnings.removeFirst()
            retired.learnings += 1
        }
    }
}

/// When each finished worker and item is due to leave the projections, in time order. A
/// schedule derived from the data, not data: it is not encoded (decoding rebuilds it), and
/// it never makes two states unequal.
struct RetirementSchedule: Sendable, Equatable {
    struct Entry: Sendable {
        var time: Timestamp
        var id: String
    }

    var workers: Deque<Entry> = []
    var items: Deque<Entry> = []

    static func == (lhs: Self, rhs: Self) -> Bool { true }
}

/// Workers, items and records that have left the projections, counted (workers and items
/// by their final status, metrics by their sums), so that the stats still cover everything
/// the log holds.
public struct RetiredCounts: Sendable, Hashable, Codable {
    /// Retired workers by final status name (`completed`, `failed`, …).
    public var workersByStatus: [String: Int] = [:]
    /// Iterations of retired completed workers, for the mean in ``WorkerStats``.
    public var completedIterations = 0
    /// Retired items by final status name (`completed`, `failed`, `cancelled`).
    public var itemsByStatus: [String: Int] = [:]
    /// Retired metrics records.
    public var metrics = 0
    /// Retired metrics records that had a duration, for the mean in ``WorkerStats``.
    public var durations = 0
    /// The sum, in milliseconds, of the durations counted in ``durations``, for the mean in
    /// ``WorkerStats``.
    public var durationTotal = 0
    /// Tokens read, summed over the retired metrics records.
    public var tokensIn = 0
    /// Tokens written, summed over the retired metrics records.
    public var tokensOut = 0
    /// Learnings dropped beyond ``LifecycleState/learningCapacity``.
    public var learnings = 0
    /// Reviews that left the projections after ``LifecycleState/retention``.
    public var reviews = 0

    /// No retired records.
    public init() {}

    /// Fields added after the first layout are absent from older snapshots: zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workersByStatus = try c.decode([String: Int].self, forKey: .workersByStatus)
        completedIterations = try c.decode(Int.self, forKey: .completedIterations)
        itemsByStatus = try c.decode([String: Int].self, forKey: .itemsByStatus)
        metrics = try c.decodeIfPresent(Int.self, forKey: .metrics) ?? 0
        durations = try c.decodeIfPresent(Int.self, forKey: .durations) ?? 0
        durationTotal = try c.decodeIfPresent(Int.self, forKey: .durationTotal) ?? 0
        tokensIn = try c.decodeIfPresent(Int.self, forKey: .tokensIn) ?? 0
        tokensOut = try c.decodeIfPresent(Int.self, forKey: .tokensOut) ?? 0
        learnings = try c.decodeIfPresent(Int.self, forKey: .learnings) ?? 0
        reviews = try c.decodeIfPresent(Int.self, forKey: .reviews) ?? 0
    }

    /// Retired workers, all statuses.
    public var workers: Int { workersByStatus.values.reduce(0, +) }
    /// Retired items, all statuses.
    public var items: Int { itemsByStatus.values.reduce(0, +) }

    mutating func count(_ worker: Worker) {
        workersByStatus[worker.status.rawValue, default: 0] += 1
        // Saturating: an iteration written by an older build may be anything.
        if worker.status == .completed { completedIterations = completedIterations.addingSaturating(worker.iteration) }
    }

    mutating func count(_ item: WorkItem) {
        itemsByStatus[item.status.rawValue, default: 0] += 1
    }

    // Saturating: values written by an older build may be anything.
    mutating func count(_ record: WorkerMetricsRecord) {
        metrics += 1
        if let duration = record.metrics.duration {
            durations += 1
            durationTotal = durationTotal.addingSaturating(duration)
        }
        tokensIn = tokensIn.addingSaturating(record.metrics.tokensIn ?? 0)
        tokensOut = tokensOut.addingSaturating(record.metrics.tokensOut ?? 0)
    }
}
