import ArgumentParser
import Foundation
import Logging
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import ShiftlogStore

/// `finish`: the restart after the last kill, without load. The effect handlers resume from
/// their checkpoints and catch up (`settle`), reconciliation runs, the end graces that have
/// elapsed are marked (their processes stopped), and then every active worker must have its
/// process running and no process may run for a worker that ended, except one still within
/// its end grace (`END_GRACE_SECONDS`: a worker that reported its end is left to exit).
/// With `--stop-workers`, the workers' processes are stopped afterwards (the log is left as
/// it is: a later engine would record them lost).
struct Finish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reopen the folder, let the handlers catch up, and compare workers with their processes.")

    @Option(help: "The harness folder.")
    var path: String

    @Flag(help: "Kill every worker process afterwards.")
    var stopWorkers = false

    func run() async throws {
        let folder = HarnessFolder(path: path)
        var logger = Logger(label: "crash-driver")
        logger.logLevel = .error
        let runtime = try folder.runtime()
        let configuration = folder.configuration()
        let engine = try Engine.open(
            store: try folder.openStore(logger: logger), runtime: runtime, configuration: configuration, logger: logger)
        // On PostgreSQL the effects start once this engine is elected (the killed one's
        // session, and with it its lock, ends with its process).
        let deadline = ContinuousClock.now + .seconds(30)
        while !engine.isLeading {
            guard ContinuousClock.now < deadline else { throw HarnessError("finish: not elected within 30 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let resumedFrom = engine.handlerStatuses.map { "\($0.name)@\($0.appliedSequence)" }
        try await engine.settle()
        let reconciled = try await engine.reconcile()
        try await engine.expireEndGraces()
        try await engine.settle()
        let state = engine.state
        // Workers that registered themselves were never spawned: no container is theirs to start.
        var spawned: Set<WorkerID> = []
        try engine.log.scan { batch in
            for recorded in batch { if case .workerSpawned(let e) = recorded.event { spawned.insert(e.workerId) } }
            return true
        }
        let running = try await runtime.list(instance: configuration.instanceName).filter(\.running)
        await engine.close()

        let runningById = Dictionary(running.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        let active = state.activeWorkersById.filter { spawned.contains($0.id) }
        for worker in active where runningById[worker.id] == nil || runningById[worker.id] != worker.containerId {
            problems.append("\(worker.id) is \(worker.status.rawValue) with container \(worker.containerId ?? "none"), running: \(runningById[worker.id] ?? "none")")
        }
        let activeIds = Set(active.map(\.id))
        let leftToExit = Set(state.awaitingExit.keys)
        for handle in running where !activeIds.contains(handle.name) && !leftToExit.contains(handle.name) {
            problems.append("\(handle.name) (\(handle.id)) runs but its worker is not active")
        }
        // Every worker process still alive must be one of those: none left running unknown.
        let known = Set(running.map(\.id))
        let startsText = (try? String(contentsOfFile: folder.starts, encoding: .utf8)) ?? ""
        for line in startsText.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let pid = Int32(fields[1]), !known.contains("pid-\(pid)"), Self.isWorker(pid, of: folder) else { continue }
            problems.append("\(fields[0])'s process \(pid) runs, unknown to the runtime")
        }
        print(
            "finish: resumed \(resumedFrom.joined(separator: " ")) settled at #\(state.lastSequence) spawned_active=\(active.count) "
                + "running=\(running.count) lost=\(reconciled.lost.count) orphans_removed=\(reconciled.orphansRemoved.count) "
                + "mismatches=\(problems.count)")
        for problem in problems.prefix(20) { FileHandle.standardError.write(Data("finish: \(problem)\n".utf8)) }

        if stopWorkers {
            for handle in try await runtime.list(instance: configuration.instanceName) {
                _ = try await runtime.remove(name: handle.name)
            }
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }

    /// Whether `pid` is a live (not zombie) worker process of this folder: its standard
    /// output is a worker's `output.log` under the runtime's folder (a reused pid is not).
    static func isWorker(_ pid: Int32, of folder: HarnessFolder) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)...].first != "Z",
            let output = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/1")
        else { return false }
        let workers = URL(fileURLWithPath: folder.workers).resolvingSymlinksInPath().path
        return output.hasPrefix(workers + "/") && output.hasSuffix("/output.log")
    }
}
