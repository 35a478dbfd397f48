import Foundation
import Logging
import ShiftlogCore
import ShiftlogEngine
import ShiftlogPostgres
import ShiftlogRuntimes
import ShiftlogStore

/// The layout of a harness folder, shared by every run on it: the log, the process runtime's
/// workers, the starts file every worker appends its own start to, and one ack file per run.
/// The log is the LMDB folder `log`, or, when the file `store` names one, a PostgreSQL log.
struct HarnessFolder {
    let path: String

    var log: String { path + "/log" }
    /// The PostgreSQL URL the harness runs on (`scripts/crash-harness --store postgres` writes
    /// it), or `nil` for the LMDB folder `log`.
    var storeURL: String? {
        (try? String(contentsOfFile: path + "/store", encoding: .utf8))
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the harness's log, in whichever store it is.
    func openStore(readOnly: Bool = false, logger: Logger = Logger(label: "crash-driver")) throws -> any EventStore {
        if let url = storeURL {
            return try PostgresEventLog(url: url, options: .init(readOnly: readOnly), logger: logger)
        }
        return try LMDBEventLog(path: log, options: .init(readOnly: readOnly))
    }
    /// Where `shiftlog serve --runtime process --path <log>` keeps its workers too.
    var workers: String { log + "/workers" }
    /// `<worker id> <pid> <ORCHESTRATOR_URL>` per line, appended by each worker process as it
    /// starts (the URL holds the worker's credential under `shiftlog serve`: the HTTP driver
    /// calls the worker routes with it).
    var starts: String { path + "/starts" }
    var acks: String { path + "/acks" }

    func create() throws {
        for folder in [path, log, workers, acks] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    /// What each worker process runs: it records its own start, then waits to be stopped.
    /// `$$` is the shell, the process the runtime spawned (`exec` keeps it).
    var workerShellCommand: String { "echo \"$WORKER_ID $$ $ORCHESTRATOR_URL\" >> '\(starts)'; exec sleep 3600" }

    /// The ack file for a new run: the next number after those present.
    func nextAckFile() throws -> String {
        let count = try FileManager.default.contentsOfDirectory(atPath: acks).count
        return acks + "/" + String(format: "%05d", count + 1)
    }

    func runtime() throws -> ProcessRuntime { try ProcessRuntime(directory: workers) }

    /// Rules loose enough to keep workers churning under load (no cooldown, no budget to run
    /// out, immediate retries, capacity for a dozen workers; the same as `scripts/crash-harness`
    /// gives `shiftlog serve`), and workers that stay up until stopped, so that a restarted
    /// engine has live processes to adopt.
    func configuration() -> EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.lifecycle.maxWorkers = 12
        configuration.lifecycle.cooldownSeconds = 0
        configuration.lifecycle.dailyBudget = ShiftlogSettings.dailyBudget.range.upperBound  // the most `DAILY_BUDGET` takes
        configuration.lifecycle.retryBackoffSeconds = [0]
        configuration.lifecycle.maxRetries = 3
        configuration.workerCommand = ["/bin/sh", "-c", workerShellCommand]
        configuration.stopGraceSeconds = 2
        configuration.capturedLogLines = 5
        configuration.snapshotInterval = 2_000
        return configuration
    }
}
