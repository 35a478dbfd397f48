import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import ShiftlogStore
import Testing

/// An engine on a fresh LMDB folder with a real runtime, set up the way these tests want it:
/// unique worker ids (the daemon outlives a test run), an instance name of its own (so tests
/// never see each other's containers), no background reconciliation, ``SampleWorker``.
final class RuntimeHarness: Sendable {
    let folder: String
    let engine: Engine
    let configuration: EngineConfiguration
    let runtime: any ContainerRuntime

    init(runtime: any ContainerRuntime, _ adjust: (inout EngineConfiguration) -> Void = { _ in }) throws {
        folder = NSTemporaryDirectory() + "shiftlog-runtime-\(UUID().uuidString)"
        var configuration = EngineConfiguration()
        configuration.lifecycle.cooldownSeconds = 0
        configuration.lifecycle.maxWorkers = 4
        configuration.workerImage = TestDocker.image
        configuration.workerCommand = SampleWorker.command
        configuration.instanceName = "shiftlog-test-\(UUID().uuidString.prefix(8).lowercased())"
        configuration.reconcileInterval = nil
        configuration.stopGraceSeconds = 5
        configuration.capturedLogLines = 5
        // The sample worker never exits by itself: with no end grace, the container of a
        // reported end is stopped at the first `expireEndGraces` (these tests run no loop).
        configuration.lifecycle.endGraceSeconds = 0
        adjust(&configuration)
        self.configuration = configuration
        self.runtime = runtime
        engine = try Engine.open(path: folder, runtime: runtime, configuration: configuration)
    }

    /// Runs `body`, then closes the harness, whether `body` threw or not.
    func closing(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// Closes the engine and removes every container (or process) of this harness's instance.
    func close() async {
        await engine.close()
        for container in (try? await runtime.list(instance: configuration.instanceName)) ?? [] {
            _ = try? await runtime.remove(name: container.name)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Adds an item and spawns a worker for it; returns once its container's start is recorded.
    func spawnWorker(repo: String = "acme/web") async throws -> Worker {
        let item = try await engine.queue.add(NewWorkItem(repo: repo, spec: "test"))
        let worker = try await engine.spawn(workItemId: item.id)
        try await engine.settle()
        return worker
    }

    /// Waits until the worker's container has printed its first line.
    func waitUntilReady(_ worker: Worker) async throws {
        try await eventually("\(worker.id) to print its first line") {
            (try? await engine.getLogs(workerId: worker.id))?.contains { $0.hasSuffix("ready") } == true
        }
    }

    /// Waits until the worker's container has printed `line`.
    func waitUntil(_ worker: Worker, printed line: String) async throws {
        try await eventually("\(worker.id) to print '\(line)'") {
            (try? await engine.getLogs(workerId: worker.id))?.contains(line) == true
        }
    }

    /// The events of the log, in order.
    func events() throws -> [Event] {
        try engine.log.read(after: 0, limit: 100_000).map(\.event)
    }
}
