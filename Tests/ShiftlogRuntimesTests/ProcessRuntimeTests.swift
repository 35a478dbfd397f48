import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import Testing

/// The local-process runtime, with real child processes: the same contract as containers.
@Suite struct ProcessRuntimeTests {
    private func runtime() throws -> (ProcessRuntime, String) {
        let directory = NSTemporaryDirectory() + "shiftlog-processes-\(UUID().uuidString)"
        return (try ProcessRuntime(directory: directory), directory)
    }

    @Test func aWorkerRunsAsAProcessWithItsEnvironmentAndAKillKeepsItsLastLines() async throws {
        let (processes, directory) = try runtime()
        let harness = try RuntimeHarness(runtime: processes) { $0.workerEnvironment = ["API_KEY": "sk-secret-value"] }
        try await harness.closing {

            let worker = try await harness.spawnWorker()
            let started = try harness.events().compactMap { if case .containerStarted(let e) = $0 { e } else { nil } }
            #expect(started.first?.environment == ["API_KEY", "ORCHESTRATOR_URL", "WORKER_ID", "WORK_ITEM", "WORK_ITEM_ID"])
            #expect(started.first?.containerId.hasPrefix("pid-") == true)
            try await harness.waitUntilReady(worker)
            #expect(try await harness.engine.getLogs(workerId: worker.id).first == "worker \(worker.id) on \(worker.workItemId) ready")
            // The secret reaches the process but no file of the runtime's.
            let listed = try await processes.list(instance: harness.configuration.instanceName)
            #expect(listed.map(\.name) == [worker.id] && listed.first?.running == true)
            let metadata = try String(contentsOfFile: directory + "/\(worker.id)/process.json", encoding: .utf8)
            #expect(!metadata.contains("sk-secret-value"))

            try await harness.waitUntil(worker, printed: "tick 6")
            try await harness.engine.kill(workerId: worker.id)
            try await harness.engine.settle()
            let stopped = try harness.events().compactMap { if case .containerStopped(let e) = $0 { e } else { nil } }
            #expect(stopped.first?.exitCode == 0)
            #expect(stopped.first?.logTail.count == 5)
            #expect(stopped.first?.logTail.last?.hasPrefix("got SIGTERM at tick") == true, "\(stopped)")
            #expect(try await processes.list(instance: harness.configuration.instanceName).isEmpty, "removed after its logs")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func aRepeatedStartAdoptsTheRunningProcessAndAnotherRuntimeInstanceSeesIt() async throws {
        let (processes, directory) = try runtime()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = ContainerSpec(
            name: "worker-x", image: "", environment: [:],
            labels: [ContainerLabel.workerId: "worker-x", ContainerLabel.instance: "p"], limits: ContainerLimits(),
            command: ["sleep", "30"])
        let first = try await processes.start(spec)
        let second = try await processes.start(spec)
        #expect(first.id == second.id)
        // As after a restart of the engine: a new runtime on the same folder finds it running.
        let reopened = try ProcessRuntime(directory: directory)
        #expect(try await reopened.list(instance: "p").map(\.running) == [true])
        let exit = try await reopened.stop(name: "worker-x", grace: .seconds(1))
        #expect(exit?.containerId == first.id)
        #expect(exit?.exitCode == 143, "SIGTERM, as the first instance's reaper recorded it")
        #expect(try await processes.list(instance: "p").map(\.running) == [false])
        #expect(try await reopened.remove(name: "worker-x"))
        #expect(try await processes.logs(name: "worker-x", lines: 5) == nil)
        await #expect(throws: ContainerRuntimeError.self) {
            try await processes.start(ContainerSpec(name: "w", image: "", environment: [:], labels: [:], limits: ContainerLimits(), command: ["no-such-program-here"]))
        }
    }

    @Test func reconciliationFindsAKilledProcessAndRemovesAnOrphan() async throws {
        let (processes, directory) = try runtime()
        let harness = try RuntimeHarness(runtime: processes)
        try await harness.closing {
            let worker = try await harness.spawnWorker()
            try await harness.waitUntilReady(worker)
            let containerId = try #require(harness.engine.state.workers[worker.id]?.containerId)
            let pid = try #require(Int32(containerId.dropFirst("pid-".count)))
            kill(pid, SIGKILL)  // behind the engine's back
            _ = try await processes.start(ContainerSpec(
                name: "orphan-1", image: "", environment: [:],
                labels: [ContainerLabel.workerId: "orphan-1", ContainerLabel.instance: harness.configuration.instanceName],
                limits: ContainerLimits(), command: ["sleep", "30"]))
            try await eventually("the killed process to be reaped") {
                try await processes.list(instance: harness.configuration.instanceName).first { $0.name == worker.id }?.exitCode != nil
            }
            let report = try await harness.engine.reconcile()
            #expect(report.lost == [worker.id])
            #expect(report.orphansRemoved == ["orphan-1"])
            try await harness.engine.settle()
            let lost = try harness.events().compactMap { if case .workerLost(let e) = $0 { e } else { nil } }
            #expect(lost.first?.reason == "container exited with code 137")
            #expect(harness.engine.state.workItems[worker.workItemId]?.retryCount == 1)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
