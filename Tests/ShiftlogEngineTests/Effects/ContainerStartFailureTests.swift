import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// A failed start removes only what that start created: never a healthy container it was
/// adopting, never another instance's container of the same name (which is refused, not
/// adopted).
@Suite struct ContainerStartFailureTests {
    let fixture = EngineFixture()

    private func plant(_ runtime: InMemoryContainerRuntime, _ name: String, instance: String) {
        runtime.plant(ContainerSpec(
            name: name, image: "shiftlog/worker:latest", environment: [:],
            labels: [ContainerLabel.workerId: name, ContainerLabel.instance: instance], limits: ContainerLimits()))
    }

    private func open(_ runtime: InMemoryContainerRuntime) throws -> Engine {
        try Engine.open(
            path: fixture.folder, runtime: runtime, configuration: fixture.configuration(), clock: fixture.clock,
            ids: fixture.ids, metrics: MetricsHandler(factory: NoMetrics()))
    }

    private func spawnFailure(in engine: Engine) throws -> String? {
        try engine.log.read(after: 0, limit: 100).compactMap { event -> String? in
            if case .workerSpawnFailed(let failed) = event.event { failed.reason } else { nil }
        }.first
    }

    @Test func aFailedAdoptionLeavesTheHealthyContainerAlone() async throws {
        defer { fixture.removeFolder() }
        let runtime = InMemoryContainerRuntime()
        plant(runtime, "worker-1", instance: "shiftlog")  // left by an engine that crashed mid-start
        runtime.scriptStarts(.fail("daemon timed out"))
        let engine = try open(runtime)
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        let worker = try await engine.spawn(workItemId: item.id)
        try await engine.settle()
        await engine.close()

        #expect(worker.id == "worker-1")
        #expect(try spawnFailure(in: engine) == "daemon timed out")
        #expect(runtime.containers["worker-1"]?.running == true)
    }

    @Test func aContainerOfAnotherInstanceIsRefusedNeitherAdoptedNorRemoved() async throws {
        defer { fixture.removeFolder() }
        let runtime = InMemoryContainerRuntime()
        plant(runtime, "worker-1", instance: "staging")
        let engine = try open(runtime)
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        try await engine.spawn(workItemId: item.id)
        try await engine.settle()
        await engine.close()

        #expect(try spawnFailure(in: engine)
            == "a container named worker-1 exists and is not this Shiftlog instance's (it belongs to 'staging', this is 'shiftlog'); it was left alone")
        #expect(engine.state.workers["worker-1"] == nil)  // the spawn was rolled back
        #expect(runtime.containers["worker-1"]?.spec.labels[ContainerLabel.instance] == "staging")
        #expect(runtime.containers["worker-1"]?.running == true)
    }

    @Test func aStartThatFailsAfterCreatingLeavesNothingBehind() async throws {
        defer { fixture.removeFolder() }
        let runtime = InMemoryContainerRuntime()
        runtime.scriptStarts(.failAfterCreate("cannot start: no such image"))
        let engine = try open(runtime)
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        try await engine.spawn(workItemId: item.id)
        try await engine.settle()
        await engine.close()

        #expect(try spawnFailure(in: engine) == "cannot start: no such image")
        #expect(runtime.createdCount == 1)
        #expect(runtime.containers.isEmpty)
    }
}
