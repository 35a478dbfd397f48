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
        typealias S = ShiftlogSettings
        let variables: [(String, String)] = [
            (S.host.name, "127.0.0.1"),
            (S.maxWorkers.name, "\(rules.maxWorkers)"),
            (S.cooldownSeconds.name, "\(rules.cooldownSeconds)"),
            (S.dailyBudget.name, "\(rules.dailyBudget)"),
            (S.retryBackoffSeconds.name, S.retryBackoffSeconds.format.text(of: rules.retryBackoffSeconds)),
            (S.workerCommand.name, folder.workerShellCommand),
            (S.loopIntervalMilliseconds.name, "100"),  // the loop spawns the workers: keep it busy
            (S.logLevel.name, "error"),
        ]
        for (name, value) in variables {
            print("export \(name)='\(value.replacingOccurrences(of: "'", with: "'\\''"))'")
        }
    }
}
