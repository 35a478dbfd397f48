import Foundation
import Subprocess
import SystemPackage
import ShiftlogRuntimes
import Testing

/// The Docker daemon the tests use: the one `DOCKER_HOST` names (`.ci/run` starts one with
/// `scripts/docker-daemon start` and exports it). Without it the Docker tests fail, naming
/// the command to run; `SHIFTLOG_SKIP_DOCKER=1` skips them on a machine without Docker (CI
/// never sets it).
enum TestDocker {
    static let image = ProcessInfo.processInfo.environment["SHIFTLOG_WORKER_IMAGE"] ?? SampleWorker.image
    static let skipped = ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_DOCKER"] == "1"
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A runtime on the test daemon, checked with `/version`.
    static func runtime(timeout: Duration = .seconds(30)) async throws -> DockerRuntime {
        guard let host = ProcessInfo.processInfo.environment["DOCKER_HOST"] else {
            throw TestDockerError("DOCKER_HOST is not set: run `eval \"$(scripts/docker-daemon start)\"` first (or set SHIFTLOG_SKIP_DOCKER=1)")
        }
        return try await DockerRuntime.connect(endpoint: try DockerEndpoint(dockerHost: host), timeout: timeout)
    }

    /// Runs `scripts/docker-daemon arguments…` (a private daemon of a test's own), awaited.
    /// Its output is not read: the daemon it starts would hold a pipe open for as long as it
    /// runs.
    static func script(_ arguments: [String]) async throws {
        let result = try await Subprocess.run(
            .path(FilePath(root.appendingPathComponent("scripts/docker-daemon").path)), arguments: Arguments(arguments),
            output: .discarded, error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false))
        guard result.terminationStatus.isSuccess else {
            throw TestDockerError("scripts/docker-daemon \(arguments.joined(separator: " ")) ended \(result.terminationStatus)")
        }
    }

    /// Runs `body` with a private daemon started in `folder`, and stops the daemon after it,
    /// whether it threw or not.
    static func withDaemon<T>(in folder: String, _ body: () async throws -> T) async throws -> T {
        try await script(["start", folder])
        do {
            let result = try await body()
            try await script(["stop", folder])
            return result
        } catch {
            try? await script(["stop", folder])
            throw error
        }
    }
}

struct TestDockerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits for a condition of a process outside this one (a container printing its first
/// line), checking every 50 ms; fails after `limit`. Engine effects are awaited with
/// `Engine.settle()` instead.
func eventually(within limit: Duration = .seconds(30), _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestDockerError("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
