import Foundation
import Subprocess
import SystemPackage

/// The built `shiftlog` binary, run as a user would run it.
///
/// Every run is awaited, never waited for: the tests share Swift's task pool (as wide as the
/// machine has cores), and a test blocked on a child for seconds starves every other test
/// that runs beside it (beside the whole suite, the leadership tests once saw no engine
/// elected within 30 s).
enum ShiftlogBinary {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent(".build/debug/shiftlog").path

    /// The most output a test keeps from one run (a whole log's export fits).
    static let outputLimit = 1 << 30

    /// Runs `shiftlog arguments…`; returns its exit status and its standard output followed
    /// by its standard error.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) async throws
        -> (status: Int32, output: String)
    {
        let ending = try await runReportingEnding(arguments, stdin: stdin, environment: environment)
        return (ending.status, ending.output + ending.error)
    }

    /// How a run ended, with its two streams apart: for tests that must tell an exit from a
    /// signal and count the lines of standard error.
    struct Ending: Sendable {
        /// The exit status, or the signal number when `signalled`.
        var status: Int32
        var signalled: Bool
        var output: String
        var error: String
    }

    /// Runs `shiftlog arguments…` and reports how it ended.
    static func runReportingEnding(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) async throws
        -> Ending
    {
        try await ChildRun.ending(path, arguments, stdin: stdin, environment: environment)
    }
}

/// A child program run to its end, awaited: one home for how the tests of this target start
/// a program and collect what it printed.
enum ChildRun {
    /// Runs `executable arguments…` with `environment` added to this process's own, feeding it
    /// `stdin` (or nothing), and reports how it ended with both streams.
    static func ending(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) async throws -> ShiftlogBinary.Ending {
        let added = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })
        let limit = ShiftlogBinary.outputLimit
        let result =
            if let stdin {
                try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), environment: .inherit.updating(added),
                    input: .data(stdin), output: .string(limit: limit), error: .string(limit: limit))
            } else {
                try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), environment: .inherit.updating(added),
                    input: .none, output: .string(limit: limit), error: .string(limit: limit))
            }
        let (status, signalled): (Int32, Bool) =
            switch result.terminationStatus {
            case .exited(let code): (code, false)
            case .signaled(let signal): (signal, true)
            }
        return ShiftlogBinary.Ending(
            status: status, signalled: signalled, output: result.standardOutput, error: result.standardError)
    }

    /// Runs `executable arguments…` to its end and returns its standard output; fails with
    /// both streams when it exits non-zero.
    static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let ending = try await ending(executable, arguments, environment: environment)
        guard ending.status == 0, !ending.signalled else {
            throw E2EFailure(
                "\(executable) \(arguments.joined(separator: " ")) \(ending.signalled ? "died of signal" : "exited") \(ending.status): \(ending.output)\(ending.error)")
        }
        return ending.output
    }
}
