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

    /// Removes the workers and items whose time in the projections is over at `now`.
    mutating func retireFinished(at now: Timestamp) {
        let cutoff = now.adding(seconds: -Self.retention)
        while let due = retirement.workers.first, due.time <= cutoff {
            retirement.workers.removeFirst()
            guard let worker = workers[due.id], !worker.status.isActive, worker.completedAt == due.time else { continue }
            workers[due.id] = nil
            capturedLogs[due.id] = nil
            retired.count(worker)
        }
        while let due = retirement.items.first, due.time <= cutoff {
            retirement.items.removeFirst()
            // An entry is stale when the item changed after it was scheduled (a newer entry exists).
            guard let item = workItems[due.id], item.isTerminal, item.updatedAt == due.time else { continue }
            workItems[due.id] = nil
            retired.count(item)
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

/// Workers and items that have left the projections, counted by their final status, so that
/// the stats still cover everything the log holds.
public struct RetiredCounts: Sendable, Hashable, Codable {
    public var workersByStatus: [String: Int] = [:]
    /// Iterations of retired completed workers, for the mean in ``WorkerStats``.
    public var completedIterations = 0
    public var itemsByStatus: [String: Int] = [:]

    public init() {}

    public var workers: Int { workersByStatus.values.reduce(0, +) }
    public var items: Int { itemsByStatus.values.reduce(0, +) }

    mutating func count(_ worker: Worker) {
        workersByStatus[worker.status.rawValue, default: 0] += 1
        // Saturating: an iteration written by an older build may be anything.
        if worker.status == .completed { completedIterations = completedIterations.addingSaturating(worker.iteration) }
    }

    mutating func count(_ item: WorkItem) {
        itemsByStatus[item.status.rawValue, default: 0] += 1
    }
}
