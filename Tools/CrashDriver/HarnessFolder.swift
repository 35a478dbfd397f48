import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes

/// The layout of a harness folder, shared by every run on it: the log, the process runtime's
/// workers, the starts file every worker appends its own start to, and one ack file per run.
struct HarnessFolder {
    let path: String

    var log: String { path + "/log" }
    var workers: String { path + "/workers" }
    /// `<worker id> <pid>` per line, appended by each worker process as it starts.
    var starts: String { path + "/starts" }
    var acks: String { path + "/acks" }

    func create() throws {
        for folder in [path, log, workers, acks] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    /// The ack file for a new run: the next number after those present.
    func nextAckFile() throws -> String {
        let count = try FileManager.default.contentsOfDirectory(atPath: acks).count
        return acks + "/" + String(format: "%05d", count + 1)
    }

    func runtime() throws -> ProcessRuntime { try ProcessRuntime(directory: workers) }

    /// Rules loose enough to keep workers churning under load (no cooldown, no budget to run
    /// out, immediate retries, capacity for a dozen workers), and a worker that records its
    /// own start (`$$`: the shell is the process the runtime spawned, kept by `exec`) and
    /// then waits to be stopped, so that a restarted engine has live processes to adopt.
    func configuration() -> EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.lifecycle.maxWorkers = 12
        configuration.lifecycle.cooldownSeconds = 0
        configuration.lifecycle.dailyBudget = 1_000_000_000
        configuration.lifecycle.retryBackoffSeconds = [0]
        configuration.lifecycle.maxRetries = 3
        configuration.workerCommand = ["/bin/sh", "-c", "echo \"$WORKER_ID $$\" >> '\(starts)'; exec sleep 3600"]
        configuration.instanceName = "crash-harness"
        configuration.stopGraceSeconds = 2
        configuration.capturedLogLines = 5
        configuration.snapshotInterval = 2_000
        return configuration
    }
}
