import ArgumentParser
import ShiftlogCore
import ShiftlogEngine
import ShiftlogInspect
import ShiftlogStore

/// `shiftlog state`: the projections as of a point.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Show the projections (workers, items, locks, rate limits, stats) as of a point.",
        discussion: """
            Folds the log up to --at: a sequence number (1234) or a UTC time \
            (2026-03-01T09:05:00Z, meaning the last event at or before it). Without --at, \
            the whole log. --json prints the projection document in whim's field names.

            Examples:
              shiftlog state --path ./incident
              shiftlog state --path ./incident --at 2026-03-01T09:06:00Z --section workers
              shiftlog state --path ./incident --at 120 --json
            """)

    enum Section: String, ExpressibleByArgument, CaseIterable {
        case all, workers, items, locks, limits, stats
    }

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Fold up to this point: a sequence number or an ISO-8601 UTC time.")
    var at: LogPoint?

    @Option(name: .long, help: "Which tables to print: \(Section.allCases.map(\.rawValue).joined(separator: ", ")).")
    var section: Section = .all

    @Flag(name: .long, help: "Print the projection document as JSON.")
    var json = false

    func run() async throws {
        try await reporting {
            let log = try log.open()
            let through = try at?.resolve(in: log) ?? log.lastSequence()
            let state = try Replay.fold(log, until: through)
            let document = ProjectionDocument(state)
            if json {
                try printJSON(document)
                return
            }
            let output = Output()
            output.line("state as of #\(state.lastSequence)" + (state.lastEventTime.map { " (\($0.iso8601))" } ?? " (empty log)"))
            if section == .all || section == .workers {
                output.line("")
                output.line("WORKERS (\(document.workers.count))")
                let columns = Columns(widths: [12, 10, 13, 11, 6, 26, 26])
                output.line(columns.row(["ID", "ITEM", "MODE", "STATUS", "ITER", "LAST HEARTBEAT", "STARTED", "CONTAINER"]))
                for worker in state.workersNewestFirst {
                    output.line(columns.row([
                        worker.id, worker.workItemId, worker.mode.rawValue, worker.status.rawValue, String(worker.iteration),
                        worker.lastHeartbeat.iso8601, worker.startedAt.iso8601, worker.containerId ?? "-",
                    ]))
                }
            }
            if section == .all || section == .items {
                output.line("")
                output.line("WORK ITEMS (\(document.workItems.count)); queue order: \(document.queue.isEmpty ? "empty" : document.queue.joined(separator: ", "))")
                let columns = Columns(widths: [10, 14, 13, 10, 12, 8, 26])
                output.line(columns.row(["ID", "REPO", "TYPE", "PRIORITY", "STATUS", "RETRIES", "NEXT RETRY", "ERROR"]))
                for item in document.workItems {
                    output.line(columns.row([
                        item.id, item.repo, item.type.rawValue, item.priority.rawValue, item.status.rawValue,
                        String(item.retryCount), item.nextRetryAt?.iso8601 ?? "-",
                        item.error.map { $0.split(separator: "\n").first.map(String.init) ?? "" } ?? "-",
                    ]))
                }
            }
            if section == .all || section == .locks {
                output.line("")
                output.line("LOCKS (\(document.locks.count))")
                let columns = Columns(widths: [14, 30, 12])
                output.line(columns.row(["REPO", "PATH", "WORKER", "ACQUIRED"]))
                for lock in document.locks {
                    output.line(columns.row([lock.repo, lock.path, lock.workerId, lock.acquiredAt.iso8601]))
                }
            }
            if section == .all || section == .limits {
                output.line("")
                output.line("RATE LIMITS")
                let limits = document.rateLimits
                let rules = state.configuration.map { " (max \($0.maxWorkers), cooldown \($0.cooldownSeconds)s, budget \($0.dailyBudget)/day)" } ?? ""
                output.line("active workers: \(limits.activeWorkers)\(rules)")
                output.line("last spawn:     \(limits.lastSpawn?.iso8601 ?? "-")")
                for (day, count) in limits.iterationsByDay.sorted(by: { $0.key < $1.key }) {
                    output.line("iterations \(day): \(count)")
                }
            }
            if section == .all || section == .stats {
                output.line("")
                output.line("STATS")
                output.line(try CanonicalJSON.line(document.stats))
                output.line(try CanonicalJSON.line(document.queueStats))
            }
        }
    }
}
