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
        return (process.terminationStatus, String(decoding: data + errorData, as: UTF8.self))
    }
}
