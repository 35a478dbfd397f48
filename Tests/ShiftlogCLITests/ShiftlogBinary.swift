import Foundation

/// The built `shiftlog` binary, run as a user would run it.
enum ShiftlogBinary {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent(".build/debug/shiftlog").path

    /// Runs `shiftlog arguments…`; returns its exit status and its standard output followed
    /// by its standard error.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        let ending = try runReportingEnding(arguments, stdin: stdin, environment: environment)
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
    static func runReportingEnding(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws
        -> Ending
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        } else {
            try process.run()
        }
        // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
        // (On a dispatch thread, not the concurrency pool, which a blocked test could starve.)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async {
            errorData = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Ending(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            output: String(decoding: data, as: UTF8.self), error: String(decoding: errorData, as: UTF8.self))
    }
}
