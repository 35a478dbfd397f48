import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogInspect
import ShiftlogStore

/// What a harness folder shows after a kill, read without writing anything: every
/// acknowledged event in the log unchanged, the log verifying, the projections an engine
/// would reopen (snapshot plus tail) equal to a full replay, handler checkpoints within the
/// log, and no worker's process started twice.
struct CrashReport {
    /// Acknowledged commands, and the events they appended.
    var acknowledged = 0
    var acknowledgedEvents = 0
    /// Acknowledged events missing from the log or different in it.
    var lost = 0
    /// Ack lines cut short by a kill (not acknowledgements).
    var torn = 0
    /// Worker processes started beyond the first for a worker (starts file or log).
    var duplicateStarts = 0
    var workersStarted = 0
    var lastSequence: UInt64 = 0
    var verified = false
    var replayMatches = false
    var checkpointsWithin = false
    var problems: [String] = []

    var passed: Bool { lost == 0 && duplicateStarts == 0 && verified && replayMatches && checkpointsWithin && problems.isEmpty }

    /// The figures, as one `key=value` line for the script.
    var line: String {
        "acknowledged=\(acknowledged) acknowledged_events=\(acknowledgedEvents) lost=\(lost) duplicate_starts=\(duplicateStarts) "
            + "verify=\(verified ? "ok" : "FAIL") replay=\(replayMatches ? "ok" : "FAIL") checkpoints=\(checkpointsWithin ? "ok" : "FAIL") "
            + "events=\(lastSequence) workers_started=\(workersStarted) torn_ack_lines=\(torn)"
    }

    static func run(_ folder: HarnessFolder) throws -> CrashReport {
        var report = CrashReport()
        // Acknowledged events: each sequence with the digest the driver was answered with.
        let (entries, torn) = try AckFile.read(folder: folder.acks)
        report.acknowledged = entries.count
        report.torn = torn
        let log: any EventStore
        do {
            log = try folder.openStore(readOnly: true)
        } catch let error as StoreError where error.code == .missing && entries.isEmpty {
            // Killed before it had created the log (a PostgreSQL schema takes a moment): nothing
            // was written, so nothing can be lost.
            report.verified = true
            report.replayMatches = true
            report.checkpointsWithin = true
            return report
        }
        defer { log.close() }
        report.lastSequence = try log.lastSequence()

        var expected: [UInt64: UInt64] = [:]
        var promises = ServicePromises()
        let promised = entries.filter { $0.command.hasPrefix("http.") }
        for entry in entries {
            for event in entry.events {
                report.acknowledgedEvents += 1
                if let other = expected.updateValue(event.digest, forKey: event.sequence), other != event.digest {
                    report.lost += 1
                    report.note("#\(event.sequence) was acknowledged twice with different contents (\(entry.command))")
                }
            }
        }

        // One pass over the log: acknowledged events, and every recorded container start.
        var recordedStarts: [WorkerID: [String]] = [:]
        try log.scan { batch in
            for recorded in batch {
                if let digest = expected.removeValue(forKey: recorded.sequence), digest != EventDigest.of(recorded) {
                    report.lost += 1
                    report.note("#\(recorded.sequence) differs from what was acknowledged (\(recorded.type.rawValue))")
                }
                if !promised.isEmpty { promises.index(recorded) }
                if case .containerStarted(let started) = recorded.event {
                    recordedStarts[started.workerId, default: []].append(started.containerId)
                }
            }
            return true
        }
        report.lost += expected.count
        for sequence in expected.keys.sorted().prefix(5) { report.note("acknowledged #\(sequence) is not in the log") }
        for entry in promised where !promises.kept(entry) {
            report.lost += 1
            report.note("acknowledged \(entry.command) \(entry.fields.joined(separator: " ")) is not in the log")
        }

        // Starts: every worker process wrote `<worker id> <pid>` as it began.
        var processStarts: [WorkerID: Set<String>] = [:]
        let startsText = (try? String(contentsOfFile: folder.starts, encoding: .utf8)) ?? ""
        for line in startsText.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2 else { report.note("malformed starts line '\(line)'"); continue }
            processStarts[String(fields[0]), default: []].insert(String(fields[1]))
        }
        report.workersStarted = processStarts.count
        for worker in Set(processStarts.keys).union(recordedStarts.keys) {
            let processes = processStarts[worker]?.count ?? 0
            let recorded = recordedStarts[worker]?.count ?? 0
            let extra = max(processes - 1, recorded - 1, 0)
            if extra > 0 {
                report.duplicateStarts += extra
                report.note("\(worker) started \(processes) process(es) \(processStarts[worker]?.sorted() ?? []), recorded \(recorded) start(s)")
            }
            // An adopted process is the one recorded: its pid must be one the worker wrote.
            for containerId in recordedStarts[worker] ?? [] where containerId.hasPrefix("pid-") {
                if !(processStarts[worker] ?? []).contains(String(containerId.dropFirst(4))) {
                    report.note("\(worker)'s recorded container \(containerId) never wrote its start")
                }
            }
        }

        // The library's own checks: checksums, continuity, invariants, deterministic replay,
        // snapshots, and the container handler's checkpoint covering only answered starts.
        let verification = try LogVerification.run(log)
        report.verified = verification.passed
        for check in verification.checks where !check.passed { report.note("verify: \(check.name): \(check.detail)") }

        // What an engine reopening the folder would start from, against a fold from scratch.
        let reopened = try Replay.load(log).state
        let (replayed, _) = try ReplayCheck.run(log)
        report.replayMatches = ProjectionSnapshotCodec.encode(reopened) == ProjectionSnapshotCodec.encode(replayed)
        if !report.replayMatches { report.note("the reopened projections differ from a full replay") }

        // Handlers resume from their checkpoints: each within the log.
        let checkpoints = try log.checkpoints()
        report.checkpointsWithin = checkpoints.values.allSatisfy { $0 <= report.lastSequence }
        if !report.checkpointsWithin { report.note("checkpoints past the log's end #\(report.lastSequence): \(checkpoints)") }
        return report
    }

    private mutating func note(_ problem: String) {
        if problems.count < 20 { problems.append(problem) }
    }
}
