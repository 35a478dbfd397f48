#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import ShiftlogCLI
import Subprocess
import Synchronization
import SystemPackage

/// `shiftlog serve` run by a test as an operator runs it: the built binary as a child process,
/// configured by its environment, its standard output and error kept in files beside the log
/// (so a failure can show them and a full pipe can never stall it).
final class RunningService: @unchecked Sendable {
    let process: ServeProcess
    /// The port it said it listens on.
    let port: Int
    let path: String
    let outputFile: String

    /// The URL of the service.
    var url: String { "http://127.0.0.1:\(port)" }

    private init(process: ServeProcess, port: Int, path: String, outputFile: String) {
        self.process = process
        self.port = port
        self.path = path
        self.outputFile = outputFile
    }

    /// Starts `shiftlog serve --path path arguments…` with `environment` over this process's
    /// own, and returns once it prints that it listens (failing after `limit`). `executable`
    /// may be a script that execs the binary with the arguments it is given.
    static func start(
        path: String, arguments: [String] = [], environment: [String: String], within limit: Duration = .seconds(30),
        launcher: [String] = []
    ) async throws -> RunningService {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // One output file per start, so a restart's line is not confused with the first one's.
        var number = 1
        while FileManager.default.fileExists(atPath: "\(path).serve-\(number).out") { number += 1 }
        let outputFile = "\(path).serve-\(number).out"
        guard FileManager.default.createFile(atPath: outputFile, contents: nil) else {
            throw E2EFailure("cannot create \(outputFile)")
        }
        // A launcher runs the binary (its arguments, then the binary's path, then the binary's).
        let executable = launcher.first ?? ShiftlogBinary.path
        let arguments = (launcher.isEmpty ? [] : launcher.dropFirst() + [ShiftlogBinary.path]) + ["serve", "--path", path] + arguments
        let process = try await ServeProcess.start(
            executable, arguments, environment: ["HOST": "127.0.0.1", "LOG_LEVEL": "notice"].merging(environment) { $1 },
            outputFile: outputFile)

        var port: Int?
        do {
            try await waitFor(within: limit, "`shiftlog serve` to listen (its output: \(outputFile))") {
                if let status = process.ending {
                    throw E2EFailure("`shiftlog serve` exited \(status.code) before listening:\n\(contents(of: outputFile))")
                }
                port = listeningPort(in: contents(of: outputFile))
                return port != nil
            }
        } catch {
            kill(process.processIdentifier, SIGTERM)
            _ = try? await process.ended()
            throw error
        }
        return RunningService(process: process, port: port!, path: path, outputFile: outputFile)
    }

    /// The port in `shiftlog serve: listening on port N, …`.
    private static func listeningPort(in output: String) -> Int? {
        let marker = "shiftlog serve: listening on port "
        guard let range = output.range(of: marker) else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    /// What it printed so far.
    var output: String { Self.contents(of: outputFile) }

    static func contents(of file: String) -> String {
        (FileManager.default.contents(atPath: file)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Sends `signal` and waits (up to `limit`) for the process to end.
    @discardableResult
    func stop(with signal: Int32 = SIGTERM, within limit: Duration = .seconds(30)) async throws -> (status: Int32, signalled: Bool) {
        kill(process.processIdentifier, signal)
        try await waitFor(within: limit, "`shiftlog serve` to end after signal \(signal)") { process.ending != nil }
        let ending = try await process.ended()
        return (ending.code, ending.signalled)
    }

    /// The state letter of a process in `/proc/<pid>/stat` ("R", "S", "Z"…), or "gone".
    static func state(of pid: pid_t) -> String {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else {
            return "gone"
        }
        return String(text[text.index(after: close)...].split(separator: " ").first ?? "?")
    }

    /// Ends the service (SIGKILL) if it still runs, and every worker process it started in
    /// `path` (the process runtime records each one's pid; each runs in a group of its own).
    /// For a test's cleanup, whatever happened; swift-subprocess reaps it.
    func forceCleanUp() {
        if process.ending == nil { kill(process.processIdentifier, SIGKILL) }
        Self.killWorkerProcesses(in: path)
    }

    static func killWorkerProcesses(in path: String) {
        let workers = path + "/workers"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: workers)) ?? [] {
            guard let data = FileManager.default.contents(atPath: "\(workers)/\(name)/process.json"),
                let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let pid = record["pid"] as? Int, pid > 1
            else { continue }
            kill(-pid_t(pid), SIGKILL)
        }
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits for a condition of another process (the service, its workers), checking every
/// `interval` (50 ms); fails after `limit`.
func waitFor(
    within limit: Duration, every interval: Duration = .milliseconds(50), _ what: String, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw E2EFailure("timed out after \(limit) waiting for \(what)") }
        try await Task.sleep(for: interval)
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on now, for a service that must keep its port
/// across a restart (its workers' URLs name it): the one `serve` picks for `PORT=0`
/// (`FreePort`, below the system's ephemeral range).
func freePort() throws -> Int { try FreePort.pick() }

/// A TCP socket bound to 127.0.0.1 at a port the system picks, and that port; the caller
/// closes it.
func boundSocket() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw E2EFailure("cannot open a socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard bound == 0, named == 0 else {
        close(fd)
        throw E2EFailure("cannot find a free port on 127.0.0.1")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// A `shiftlog serve` child started and awaited through swift-subprocess (as every child of the
/// tests is; Foundation's `Process.run` was seen to crash under load): its pid, and how it
/// ended once it has.
final class ServeProcess: Sendable {
    /// How the child ended: its exit code, or the signal that ended it.
    struct Ending: Sendable {
        var code: Int32
        var signalled: Bool
    }

    /// Where the run's task leaves the ending, for readers that must not wait.
    final class EndBox: Sendable {
        let value = Mutex<Ending?>(nil)
    }

    let processIdentifier: pid_t
    private let run: Task<Ending, any Error>
    private let end: EndBox

    private init(processIdentifier: pid_t, run: Task<Ending, any Error>, end: EndBox) {
        self.processIdentifier = processIdentifier
        self.run = run
        self.end = end
    }

    /// How it ended; `nil` while it runs.
    var ending: Ending? { end.value.withLock { $0 } }

    /// Waits for it to end.
    func ended() async throws -> Ending { try await run.value }

    /// Starts `executable arguments…` with `environment` added to this process's own, its
    /// standard output and error appended to `outputFile`, its input empty.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String], outputFile: String) async throws
        -> ServeProcess
    {
        let output = try FileDescriptor.open(FilePath(outputFile), .writeOnly, options: .append)
        let error = try output.duplicate()
        let added = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })
        let end = EndBox()
        let (pids, started) = AsyncStream.makeStream(of: pid_t.self)
        let run = Task {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), environment: .inherit.updating(added), input: .none,
                output: .fileDescriptor(output, closeAfterSpawningProcess: true),
                error: .fileDescriptor(error, closeAfterSpawningProcess: true)
            ) { execution in
                started.yield(execution.processIdentifier.value)
                started.finish()
            }
            let ending =
                switch result.terminationStatus {
                case .exited(let code): Ending(code: code, signalled: false)
                case .signaled(let signal): Ending(code: signal, signalled: true)
                }
            end.value.withLock { $0 = ending }
            return ending
        }
        var iterator = pids.makeAsyncIterator()
        guard let pid = await iterator.next() else {
            _ = try await run.value  // the start failed: its error
            throw E2EFailure("\(executable) did not start")
        }
        return ServeProcess(processIdentifier: pid, run: run, end: end)
    }
}
