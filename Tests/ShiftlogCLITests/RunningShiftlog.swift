import Foundation
import Subprocess
import SystemPackage

/// A `shiftlog` process left running (`events --follow`) while a test reads what it prints,
/// line by line. Started through swift-subprocess, as every child of the tests is (ChildRun):
/// Foundation's `Process.run` was seen to crash (a bad pointer in its `memmove`) when it
/// started a child while others were being started under load.
struct RunningShiftlog: Sendable {
    /// Standard output, one line at a time, until the process ends.
    let lines: AsyncStream<String>

    /// Runs `shiftlog arguments…` while `body` runs with it; the process is sent SIGTERM when
    /// `body` ends, and awaited.
    static func with<T: Sendable>(_ arguments: [String], _ body: (RunningShiftlog) async throws -> T) async throws -> T {
        let outcome = try await Subprocess.run(
            .path(FilePath(ShiftlogBinary.path)), arguments: Arguments(arguments), input: .none, output: .sequence,
            error: .discarded
        ) { execution in
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            let output = execution.standardOutput
            let reader = Task {
                for try await line in output.strings() { continuation.yield(line) }
                continuation.finish()
            }
            let result: Result<T, any Error>
            do { result = .success(try await body(RunningShiftlog(lines: lines))) } catch { result = .failure(error) }
            try? execution.send(signal: .terminate)
            _ = await reader.result
            return try result.get()
        }
        return outcome.closureResult
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
}
