import Foundation
import ShiftlogCore
import ShiftlogInspect

/// An item's ``Timeline`` as a picture: time runs left to right; the top row is the item
/// (backoff waits, cancels, verification), then one row per attempt (a worker) with its bar
/// from spawn to end, heartbeats as ticks, locks, gaps past the stale threshold and kills.
/// Every shape carries a class (`attempt`, `heartbeat`, `stale-gap`, `kill`, `backoff`,
/// `cancel`, `lock`, `verification`) and a `<title>` naming its event; the SVG is drawn by a
/// template, so every text in it is escaped.
struct TimelinePicture {
    struct Bar {
        var worker: String
        var outcome: String
        var x: String
        var y: String
        var width: String
        var label: String
        var labelY: String
        var title: String
    }

    struct Mark {
        var kind: String
        var x: String
        var y: String
        var y2: String
        var width: String
        var sequence: UInt64
        var title: String
    }

    static let width = 960
    var width = Self.width
    var height: Int
    var bars: [Bar]
    var marks: [Mark]
    var start: String
    var end: String
    var axisY: String
    /// How many attempts (bars) are drawn.
    var attempts: Int

    static let left = 120.0
    static let right = 16.0
    static let rowHeight = 30.0
    static let top = 12.0

    /// The picture of `timeline` (a work item's), with an attempt still running drawn up to `now`.
    init(_ timeline: Timeline, now: Timestamp) {
        let entries = timeline.entries.filter { $0.event != nil }
        var workers: [WorkerID] = []
        for entry in entries {
            if case .workerSpawned(let e) = entry.event!.event, !workers.contains(e.workerId) { workers.append(e.workerId) }
        }
        // Workers seen only through later events (a log that starts mid-story).
        for entry in entries {
            if let worker = entry.event!.event.workerId, !workers.contains(worker) { workers.append(worker) }
        }
        let first = entries.first?.time ?? now
        var last = entries.last?.time ?? now
        var openEnded = false
        var ends: [WorkerID: (Timestamp, String)] = [:]
        var starts: [WorkerID: Timestamp] = [:]
        for entry in entries {
            let event = entry.event!.event
            if case .workerSpawned(let e) = event { starts[e.workerId] = entry.time }
            if let ended = event.endedWorkerId { ends[ended] = (entry.time, Self.outcome(of: event)) }
            if case .workerSpawnFailed(let e) = event { ends[e.workerId] = (entry.time, "spawn-failed") }
            if case .workItemRetryScheduled(let e) = event, let next = e.nextRetryAt, next > last { last = next }
        }
        if workers.contains(where: { ends[$0] == nil }), now > last {
            last = now
            openEnded = true
        }
        let span = Double(max(1, last.milliseconds(since: first)))
        let plot = Double(Self.width) - Self.left - Self.right
        func x(_ time: Timestamp) -> Double { Self.left + Double(time.milliseconds(since: first)) / span * plot }
        func row(_ index: Int) -> Double { Self.top + Double(index) * Self.rowHeight }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        let rowOf = Dictionary(uniqueKeysWithValues: workers.enumerated().map { ($1, $0 + 1) })
        var bars: [Bar] = []
        var marks: [Mark] = []

        for (index, worker) in workers.enumerated() {
            let begin = starts[worker] ?? entries.first(where: { $0.event!.event.workerId == worker })?.time ?? first
            let (finish, outcome) = ends[worker] ?? (last, "running")
            let y = row(index + 1)
            bars.append(Bar(
                worker: worker, outcome: outcome, x: f(x(begin)), y: f(y + 4), width: f(max(2, x(finish) - x(begin))),
                label: "#\(index + 1) " + (worker.count > 10 ? worker.prefix(9) + "…" : worker), labelY: f(y + 18),
                title: "\(worker): \(outcome), \(begin.iso8601) to \(openEnded && ends[worker] == nil ? "now" : finish.iso8601)"))
        }

        for entry in entries {
            let recorded = entry.event!
            let event = recorded.event
            let title = "#\(recorded.sequence) \(recorded.type.rawValue) \(entry.summary)"
            func mark(_ kind: String, on index: Int, from: Timestamp? = nil, to: Timestamp? = nil) {
                let y = row(index)
                let x0 = x(from ?? entry.time)
                let x1 = to.map(x) ?? x0
                marks.append(Mark(
                    kind: kind, x: f(x0), y: f(y + 2), y2: f(y + Self.rowHeight - 4), width: f(max(2, x1 - x0)),
                    sequence: recorded.sequence, title: title))
            }
            let workerRow = event.workerId.flatMap { rowOf[$0] }
            switch event {
            case .heartbeatRecorded:
                if let workerRow { mark("heartbeat", on: workerRow) }
            case .locksAcquired:
                if let workerRow { mark("lock", on: workerRow) }
            case .workerKilled, .cancelGraceExpired:
                if let workerRow { mark("kill", on: workerRow) }
            case .workItemRetryScheduled(let e):
                mark("backoff", on: 0, to: e.nextRetryAt ?? entry.time)
            case .cancelRequested, .workItemCancelled:
                mark("cancel", on: 0)
            case .verificationRecorded:
                mark("verification", on: 0)
            default: break
            }
            if let gap = entry.staleGap, let gapRow = rowOf[gap.workerId] {
                mark("stale-gap", on: gapRow, from: entry.time.adding(milliseconds: -gap.milliseconds), to: entry.time)
            }
        }
        self.bars = bars
        self.marks = marks
        attempts = bars.count
        height = Int(row(workers.count + 1) + 24)
        axisY = f(row(workers.count + 1) + 14)
        start = first.iso8601
        end = openEnded ? "now (\(last.iso8601))" : last.iso8601
    }

    static func outcome(of event: Event) -> String {
        switch event {
        case .workerCompleted: "completed"
        case .workerFailed: "failed"
        case .workerStuck: "stuck"
        case .workerKilled: "killed"
        case .cancelGraceExpired: "killed"
        case .workerLost: "lost"
        default: "ended"
        }
    }

    /// The SVG.
    var svg: String { Templates.render("timeline", self) }
}
