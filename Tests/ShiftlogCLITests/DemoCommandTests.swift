import Foundation
import Testing

/// Runs the built `shiftlog` binary, as a user would.
@Suite struct DemoCommandTests {
    func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ShiftlogBinary.run(arguments)
    }

    @Test func theDemoWritesALogAndTellsTheStory() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await run(["demo", "--path", folder])
        #expect(status == 0, "\(output)")
        #expect(output.contains("workerKilled           worker-3: heartbeat timeout"))
        #expect(output.contains("workItemRetryScheduled item-2 retry 1 at 2026-03-01T09:02:30.000Z"))
        #expect(output.contains("events:      38 in \(folder)/data.mdb"))
        #expect(FileManager.default.fileExists(atPath: folder + "/data.mdb"))
        // A second run on the same folder is refused, not appended to.
        let again = try await run(["demo", "--path", folder])
        #expect(again.status == 64)
        #expect(again.output.contains("already holds a log; pass --fresh"))
    }

    /// The same story with real workers: child processes, and containers on the test daemon
    /// (`DOCKER_HOST`; see the runtime tests). The log tells the same story.
    @Test(arguments: ["process", "docker"])
    func theDemoRunsRealWorkers(_ runtime: String) async throws {
        if runtime == "docker" && ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_DOCKER"] == "1" { return }
        let folder = NSTemporaryDirectory() + "shiftlog-demo-\(runtime)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await run(["demo", "--path", folder, "--runtime", runtime])
        #expect(status == 0, "\(output)")
        #expect(output.contains("events:      38 in \(folder)/data.mdb"), "\(output)")
        #expect(output.contains("containers:  5 started (\(runtime)), 0 left running"), "\(output)")
        #expect(output.contains("containerStopped       worker-3 stopped, exit 0"), "the killed worker's container stopped on SIGTERM")
        #expect(output.contains("timings:     5 × start: median"), "\(output)")
    }

    @Test func aDaemonThatIsNotThereIsOneLineAndWritesNothing() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-demo-nodaemon-\(UUID().uuidString)"
        var result = try await ShiftlogBinary.run(
            ["demo", "--path", folder, "--runtime", "docker"], environment: ["DOCKER_HOST": "unix:///nonexistent/docker.sock"])
        #expect(result.status == 69)
        #expect(result.output == "shiftlog: Docker is not running: no socket at /nonexistent/docker.sock (version)\n")
        #expect(!FileManager.default.fileExists(atPath: folder))
        result = try await ShiftlogBinary.run(["demo", "--path", folder, "--runtime", "docker"], environment: ["DOCKER_HOST": "bogus"])
        #expect(result.status == 78)
        #expect(result.output == "shiftlog: DOCKER_HOST 'bogus' is neither unix://PATH nor tcp://HOST:PORT\n")
    }

    @Test func helpTeaches() async throws {
        let (status, output) = try await run(["demo", "--help"])
        #expect(status == 0)
        #expect(output.contains("--fresh"))
        #expect(output.contains("mdb_stat"))
    }
}
