import Foundation

/// A `shiftlog` process left running (`events --follow`), read line by line as it prints.
final class RunningShiftlog: Sendable {
    private let process: Process
    /// Standard output, one line at a time, until the process ends.
    let lines: AsyncStream<String>

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ShiftlogBinary.path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        PipeLines.read(out.fileHandleForReading, line: { continuation.yield($0) }, end: { continuation.finish() })
        try process.run()
        self.process = process
        self.lines = lines
    }

    /// The next `count` lines; fails if they do not come within `deadline` (a guard against a
    /// hung test, not a wait for an effect).
    func next(_ count: Int, within deadline: Duration = .seconds(30)) async throws -> [String] {
        let lines = self.lines
        return try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask {
                var got: [String] = []
                for await line in lines {
                    got.append(line)
                    if got.count == count { break }
                }
                return got
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let got = try await group.next() ?? nil else {
                throw CancellationError()
            }
            return got
        }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
