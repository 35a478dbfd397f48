import ShiftlogCore
import ShiftlogInspect

/// `/workers`: every active worker with its item, repo and branch, iteration against the
/// item's `maxIterations`, heartbeat age (a warning past 80 % of its stale threshold, stale
/// past it), the locks it holds, and a kill button with a reason; then the workers that ended
/// most recently.
enum WorkersPage {
    struct Row {
        var id: String
        var itemId: String
        var repo: String
        var branch: String?
        var mode: String
        var status: String
        var iteration: Int
        var maxIterations: Int?
        var heartbeatAge: String
        var heartbeatSeconds: Int64
        var ageClass: String
        var threshold: String
        var thresholdSeconds: Int64
        var locks: [String]
        var cancelling: Bool
    }

    struct Ended {
        var id: String
        var itemId: String
        var status: String
        var time: String
        var reason: String?
    }

    struct View {
        var rows: [Row]
        var ended: [Ended]
        var canAct: Bool
        var csrf: String
        var now: String
    }

    static func render(_ state: LifecycleState, _ source: any ConsoleSource, canAct: Bool, csrf: String) -> Page {
        let now = source.now(of: state)
        let rules = source.rules(of: state)
        let rows = state.activeWorkersById.map { worker in
            let item = state.workItems[worker.workItemId]
            let age = max(0, now.milliseconds(since: worker.lastHeartbeat))
            let limit = rules.staleThresholdSeconds(for: worker.mode).multipliedSaturating(by: 1_000)
            return Row(
                id: worker.id, itemId: worker.workItemId, repo: item?.repo ?? "", branch: item?.branch, mode: worker.mode.rawValue,
                status: worker.status.rawValue, iteration: worker.iteration, maxIterations: item?.maxIterations,
                heartbeatAge: Elapsed.text(age), heartbeatSeconds: age / 1_000,
                ageClass: age > limit ? "stale" : (age * 5 > limit * 4 ? "warn" : "ok"), threshold: Elapsed.text(limit), thresholdSeconds: limit / 1_000,
                locks: state.locks(of: worker.id).map { "\($0.repo):\($0.path)" }.sorted(),
                cancelling: state.cancelRequests[worker.id] != nil)
        }
        let ended = state.workers.values
            .filter { !$0.status.isActive }
            .sorted { ($0.completedAt ?? $0.lastHeartbeat, $0.id) > ($1.completedAt ?? $1.lastHeartbeat, $1.id) }
            .prefix(20)
            .map { worker in
                Ended(
                    id: worker.id, itemId: worker.workItemId, status: worker.status.rawValue,
                    time: (worker.completedAt ?? worker.lastHeartbeat).iso8601,
                    reason: worker.error.map { ItemsPage.firstLine($0, limit: 160) })
            }
        let view = View(rows: rows, ended: Array(ended), canAct: canAct, csrf: csrf, now: now.iso8601)
        return Page(title: "Workers", section: "/workers", body: Templates.render("workers", view), scope: "workers")
    }
}
