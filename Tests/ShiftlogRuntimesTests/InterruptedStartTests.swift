#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShiftlogCore
import ShiftlogEngine
@testable import ShiftlogRuntimes
import Testing

/// A start cut short by the engine's death after the process runtime spawned the worker and
/// before it recorded the process (found by `scripts/crash-harness`: the restarted engine
/// started the worker a second time, and the first process ran on, unknown to anyone).
@Suite struct InterruptedStartTests {
    let directory = NSTemporaryDirectory() + "shiftlog-interrupted-start-\(UUID().uuidString)"

    private let spec = ContainerSpec(
        name: "worker-1", image: "", environment: [:],
        labels: [ContainerLabel.workerId: "worker-1", ContainerLabel.instance: "shiftlog"], limits: ContainerLimits(),
        command: ["sleep", "30"])

    /// What `start` does before it writes `process.json`; the engine dies right after.
    private func spawnWithoutRecord() throws -> pid_t {
        let folder = directory + "/worker-1"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try ProcessRuntime.spawn("/bin/sleep", arguments: ["sleep", "30"], environment: [:], output: folder + "/output.log")
    }

    @Test func theStartDeliveredAgainAdoptsTheProcessInsteadOfStartingASecond() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pid = try spawnWithoutRecord()
        defer { waitpid(pid, nil, 0) }
        let restarted = try ProcessRuntime(directory: directory)
        let handle = try await restarted.start(spec)
        #expect(handle.id == "pid-\(pid)")
        #expect(handle.running)
        #expect(try await restarted.list(instance: "shiftlog").map(\.id) == ["pid-\(pid)"], "recorded now")
        #expect(try await restarted.remove(name: "worker-1"))
    }

    @Test func aWorkerThatEndedBeforeItsStartWasDeliveredAgainHasTheProcessStopped() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pid = try spawnWithoutRecord()
        defer { waitpid(pid, nil, 0) }
        let restarted = try ProcessRuntime(directory: directory)
        let exit = try await restarted.stop(name: "worker-1", grace: .seconds(5))
        #expect(exit?.containerId == "pid-\(pid)")
        #expect(ProcessRuntime.procStat(pid)?.state ?? "Z" == "Z", "stopped (a zombie until this test reaps it)")
        #expect(try await restarted.remove(name: "worker-1"))
    }
}
