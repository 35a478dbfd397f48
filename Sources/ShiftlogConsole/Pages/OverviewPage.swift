import ShiftlogCore
import ShiftlogEngine
import ShiftlogInspect
import ShiftlogStore

/// `/`: capacity, the queue by status and priority, the rate limits, the effect handlers and
/// their lag, the leader, events a minute, and the latest failures with their reasons.
enum OverviewPage {
    struct Count {
        var name: String
        var count: Int
    }

    struct QueueRow {
        var status: String
        var counts: [Count]
        var total: Int
    }

    struct Handler {
        var name: String
        var lag: UInt64
        var applied: UInt64
        var failures: Int
        var abandoned: Int
        var error: String?
        var degraded: Bool
    }

    struct Failure {
        var workerId: String
        var itemId: String
        var status: String
        var time: String
        var reason: String
    }

    struct View {
        var activeWorkers: Int
        var maxWorkers: Int
        var spawnAllowed: Bool
        var refusal: String?
        var queue: [QueueRow]
        var priorities: [String]
        var iterationsToday: Int
        var dailyBudget: Int
        var cooldownSeconds: Int64
        var cooldownLeft: Int64
        var lastSpawn: String?
        var handlers: [Handler]
        var hasHandlers: Bool
        var leader: String?
        var leading: Bool
        var eventsLastMinute: UInt64
        var eventsLastHour: UInt64
        var failures: [Failure]
        var now: String
    }

    static func render(_ state: LifecycleState, _ source: any ConsoleSource) throws -> Page {
        let now = source.now(of: state)
        let rules = source.rules(of: state)
        let capacity = state.capacity(at: now, rules)
        var counts: [WorkItemStatus: [Priority: Int]] = [:]
        for item in state.workItems.values { counts[item.status, default: [:]][item.priority, default: 0] += 1 }
        let queue = WorkItemStatus.allCases.compactMap { status -> QueueRow? in
            guard let byPriority = counts[status] else { return nil }
            return QueueRow(
                status: status.rawValue, counts: Priority.allCases.reversed().map { Count(name: $0.rawValue, count: byPriority[$0] ?? 0) },
                total: byPriority.values.reduce(0, +))
        }
        let cooldownLeft = capacity.lastSpawn.map { last in
            max(0, last.adding(seconds: capacity.cooldownSeconds).milliseconds(since: now) / 1_000)
        } ?? 0
        let handlers = source.handlers.map { status in
            Handler(
                name: status.name, lag: status.lag, applied: status.appliedSequence, failures: status.consecutiveFailures,
                abandoned: status.abandonedEffects, error: status.stopReason ?? status.lastError, degraded: status.isDegraded)
        }
        let failures = state.workers.values
            .filter { [.failed, .stuck, .killed].contains($0.status) }
            .sorted { ($0.completedAt ?? $0.lastHeartbeat, $0.id) > ($1.completedAt ?? $1.lastHeartbeat, $1.id) }
            .prefix(10)
            .map { worker in
                Failure(
                    workerId: worker.id, itemId: worker.workItemId, status: worker.status.rawValue,
                    time: (worker.completedAt ?? worker.lastHeartbeat).iso8601,
                    reason: ItemsPage.firstLine(worker.error ?? "", limit: 200))
            }
        let view = View(
            activeWorkers: capacity.activeWorkers, maxWorkers: capacity.maxWorkers, spawnAllowed: capacity.allowed,
            refusal: capacity.refusal?.message, queue: queue, priorities: Priority.allCases.reversed().map(\.rawValue),
            iterationsToday: capacity.iterationsToday, dailyBudget: capacity.dailyBudget, cooldownSeconds: capacity.cooldownSeconds,
            cooldownLeft: cooldownLeft, lastSpawn: capacity.lastSpawn?.iso8601, handlers: handlers, hasHandlers: !handlers.isEmpty,
            leader: state.leadership.map { "\($0.instance), term \($0.term)" }, leading: source.isLeading,
            eventsLastMinute: try eventsSince(now.adding(seconds: -60), state: state, log: source.log),
            eventsLastHour: try eventsSince(now.adding(seconds: -3_600), state: state, log: source.log),
            failures: Array(failures), now: now.iso8601)
        return Page(title: "Overview", section: "/", body: Templates.render("overview", view), scope: "all")
    }

    /// Events recorded after `time` up to the state's last: a binary search of the log by time.
    static func eventsSince(_ time: Timestamp, state: LifecycleState, log: any EventLog) throws -> UInt64 {
        let before = try LogPoint.time(time).resolve(in: log)
        return state.lastSequence > before ? state.lastSequence - before : 0
    }
}
