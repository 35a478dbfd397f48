import ArgumentParser
import Foundation
import ShiftlogCore
import ShiftlogEngine

/// `serve-environment`: the environment that gives `shiftlog serve` the harness's rules and
/// worker command (``HarnessFolder/configuration()``), as `export` lines for a shell to `eval`.
struct ServeEnvironment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the environment `shiftlog serve` runs under in the HTTP mode of the harness.")

    @Option(help: "The harness folder.")
    var path: String

    func run() {
        let folder = HarnessFolder(path: path)
        let configuration = folder.configuration()
        let rules = configuration.lifecycle
        let variables: [(String, String)] = [
            ("HOST", "127.0.0.1"),
            ("MAX_WORKERS", "\(rules.maxWorkers)"),
            ("COOLDOWN_SECONDS", "\(rules.cooldownSeconds)"),
            ("DAILY_BUDGET", "\(rules.dailyBudget)"),
            ("RETRY_BACKOFF_SECONDS", rules.retryBackoffSeconds.map(String.init).joined(separator: ",")),
            ("WORKER_COMMAND", folder.workerShellCommand),
            ("LOOP_INTERVAL_MS", "100"),  // the loop spawns the workers: keep it busy
            ("LOG_LEVEL", "error"),
        ]
        for (name, value) in variables {
            print("export \(name)='\(value.replacingOccurrences(of: "'", with: "'\\''"))'")
        }
    }
}
