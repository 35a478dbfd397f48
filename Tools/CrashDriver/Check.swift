import ArgumentParser
import Foundation

/// `check`: the figures of a harness folder after a kill (see ``CrashReport``).
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a killed run's folder: acknowledged events kept, verify, replay, checkpoints, starts.")

    @Option(help: "The harness folder.")
    var path: String

    func run() throws {
        let report = try CrashReport.run(HarnessFolder(path: path))
        print(report.line)
        for problem in report.problems { FileHandle.standardError.write(Data("check: \(problem)\n".utf8)) }
        if !report.passed { throw ExitCode(1) }
    }
}
