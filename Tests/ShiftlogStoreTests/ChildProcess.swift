import Foundation

/// A helper process for the tests that need a second process on the same folder: started
/// with its standard output on a pipe, read a line at a time, and killed with SIGKILL (as a
/// crash would end it).
final class ChildProcess {
    let process = Process()
    private let output = Pipe()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        try process.run()
    }

    /// Reads `count` bytes of its output (blocking until they come): proof that it got there.
    func read(_ count: Int) -> Data {
        var data = Data()
        while data.count < count {
            let chunk = output.fileHandleForReading.readData(ofLength: count - data.count)
            if chunk.isEmpty { break }
            data += chunk
        }
        return data
    }

    /// Reads one line of its output.
    func readLine() -> String {
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// SIGKILL, then reaps it.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGKILL to the processes it started (`sleep` left behind by `flock -o`).
    func killChildren() {
        let children = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { Foundation.kill(child, SIGKILL) }
    }

    deinit {
        if process.isRunning { kill() }
    }
}
