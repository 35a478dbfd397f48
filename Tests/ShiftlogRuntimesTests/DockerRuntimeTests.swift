import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import ShiftlogStore
import Testing

/// The Docker runtime against a real daemon (see ``TestDocker``): containers really start,
/// print, stop and vanish.
@Suite(.serialized, .enabled(if: !TestDocker.skipped, "SHIFTLOG_SKIP_DOCKER=1"))
struct DockerRuntimeTests {
    @Test func aSpawnedWorkerRunsInALabelledLimitedContainerAndItsSecretStaysOutOfTheLog() async throws {
        let docker = try await TestDocker.runtime()
        let secret = "ghp_secret-\(UUID().uuidString)"
        let harness = try RuntimeHarness(runtime: docker) { $0.workerEnvironment = ["GITHUB_TOKEN": secret] }
        try await harness.closing {

            let worker = try await harness.spawnWorker()
            let containerId = try #require(harness.engine.state.workers[worker.id]?.containerId)
            let details = try #require(try await docker.client.inspectContainer(worker.id))
            #expect(details.id == containerId)
            #expect(details.name == "/\(worker.id)")
            #expect(details.state.running)
            #expect(details.config.labels?[ContainerLabel.workerId] == worker.id)
            #expect(details.config.labels?[ContainerLabel.workItemId] == worker.workItemId)
            #expect(details.config.labels?[ContainerLabel.instance] == harness.configuration.instanceName)
            #expect(details.config.env?.contains("GITHUB_TOKEN=\(secret)") == true, "the container gets the secret")
            #expect(details.hostConfig?.memory == 4 << 30)
            #expect(details.hostConfig?.nanoCpus == 2_000_000_000)
            #expect(details.hostConfig?.pidsLimit == 256)
            #expect(details.hostConfig?.networkMode == "host")
            // The log records that the variable was set, never its value.
            let started = try harness.events().compactMap { if case .containerStarted(let e) = $0 { e } else { nil } }
            #expect(started.first?.environment == ["GITHUB_TOKEN", "ORCHESTRATOR_URL", "WORKER_ID", "WORK_ITEM", "WORK_ITEM_ID"])

            try await harness.waitUntilReady(worker)
            try await harness.engine.complete(workerId: worker.id)
            #expect(try await harness.engine.expireEndGraces() == [worker.id])
            try await harness.engine.settle()
            let stopped = try harness.events().compactMap { if case .containerStopped(let e) = $0 { e } else { nil } }
            #expect(stopped.count == 1)
            #expect(stopped.first?.found == true)
            #expect(stopped.first?.exitCode == 0, "the worker exits 0 on SIGTERM")
            #expect(stopped.first?.logTail.last?.hasPrefix("got SIGTERM") == true, "\(stopped)")
            #expect(try await docker.client.inspectContainer(worker.id) == nil, "removed once its logs were captured")

            let file = try Data(contentsOf: URL(fileURLWithPath: harness.folder + "/data.mdb"))
            #expect(file.range(of: Data(secret.utf8)) == nil, "the secret is in data.mdb")
        }
    }

    @Test func aRepeatedStartAdoptsTheContainerOfTheSameName() async throws {
        let docker = try await TestDocker.runtime()
        let name = "adopt-\(UUID().uuidString.prefix(8).lowercased())"
        let spec = ContainerSpec(
            name: name, image: TestDocker.image, environment: [:],
            labels: [ContainerLabel.workerId: name, ContainerLabel.instance: "shiftlog-adopt-test"], limits: ContainerLimits(),
            command: ["sh", "-c", "sleep 30"])
        let first = try await docker.start(spec)
        let second = try await docker.start(spec)
        #expect(first.id == second.id)
        #expect(try await docker.list(instance: "shiftlog-adopt-test").map(\.name) == [name])
        // A name taken by a container that is not ours is refused, not adopted, and left alone.
        var foreign = spec
        foreign.labels[ContainerLabel.instance] = "someone-else"
        let refusal = await #expect(throws: ContainerRuntimeError.self) { try await docker.start(foreign) }
        #expect(refusal?.code == .nameTaken)
        #expect(try await docker.list(instance: "shiftlog-adopt-test").map(\.running) == [true])
        // kill and wait, as the runtime uses them when a stop does not end in time.
        #expect(try await docker.client.killContainer(name))
        #expect(try await docker.client.waitContainer(name, timeout: .seconds(30)) == 137)
        #expect(try await docker.client.killContainer(name) == false, "409: not running")
        #expect(try await docker.list(instance: "shiftlog-adopt-test").map(\.exitCode) == [137])
        #expect(try await docker.remove(name: name))
        #expect(try await docker.remove(name: name) == false)
        #expect(try await docker.stop(name: name, grace: .seconds(1)) == nil)
        #expect(try await docker.logs(name: name, lines: 5) == nil)
    }

    @Test func aKillCapturesTheLastLinesTheWorkerPrinted() async throws {
        let docker = try await TestDocker.runtime()
        let harness = try RuntimeHarness(runtime: docker)
        try await harness.closing {
            let worker = try await harness.spawnWorker()
            try await harness.waitUntil(worker, printed: "tick 6")
            try await harness.engine.kill(workerId: worker.id, reason: "operator request")
            try await harness.engine.settle()
            let logs = try await harness.engine.getLogs(workerId: worker.id)
            #expect(logs.count == 5, "capturedLogLines")
            #expect(logs.last?.hasPrefix("got SIGTERM at tick") == true, "\(logs)")
            #expect(logs.dropLast().allSatisfy { $0.hasPrefix("tick ") }, "\(logs)")
            #expect(try await docker.client.inspectContainer(worker.id) == nil)
        }
    }

    @Test func reconciliationFindsAVanishedContainerAndRemovesAnOrphan() async throws {
        let docker = try await TestDocker.runtime()
        let harness = try RuntimeHarness(runtime: docker)
        try await harness.closing {
            let worker = try await harness.spawnWorker()
            let healthy = try await harness.spawnWorker(repo: "acme/api")
            // Behind the engine's back: the worker's container is removed, an orphan appears.
            #expect(try await docker.client.removeContainer(worker.id, force: true))
            let orphan = "orphan-\(UUID().uuidString.prefix(8).lowercased())"
            _ = try await docker.start(ContainerSpec(
                name: orphan, image: TestDocker.image, environment: [:],
                labels: [ContainerLabel.workerId: orphan, ContainerLabel.instance: harness.configuration.instanceName],
                limits: ContainerLimits(), command: ["sh", "-c", "sleep 30"]))

            let report = try await harness.engine.reconcile()
            #expect(report.lost == [worker.id])
            #expect(report.orphansRemoved == [orphan])
            try await harness.engine.settle()
            #expect(try await docker.client.inspectContainer(orphan) == nil)
            #expect(try await docker.client.inspectContainer(healthy.id)?.state.running == true, "the healthy worker is untouched")
            let state = harness.engine.state
            #expect(state.workers[worker.id]?.status == .failed)
            #expect(state.workItems[worker.workItemId]?.retryCount == 1)
            #expect(state.workItems[worker.workItemId]?.status == .queued)
            let types = try harness.events().map(\.type)
            #expect(types.contains(.workerLost) && types.contains(.orphanContainerRemoved))
            // A second pass finds nothing new.
            #expect(try await harness.engine.reconcile() == ReconciliationReport())
        }
    }

    @Test func aMissingImageIsARecordedSpawnFailureAndTheItemIsQueuedAgain() async throws {
        let docker = try await TestDocker.runtime()
        let harness = try RuntimeHarness(runtime: docker) { $0.workerImage = "shiftlog/no-such-image:1" }
        try await harness.closing {
            let worker = try await harness.spawnWorker()
            let failure = try harness.events().compactMap { if case .workerSpawnFailed(let e) = $0 { e } else { nil } }
            #expect(failure.count == 1)
            #expect(failure.first?.reason.contains("404 No such image: shiftlog/no-such-image:1") == true, "\(failure)")
            #expect(harness.engine.state.workers[worker.id] == nil)
            #expect(harness.engine.state.workItems[worker.workItemId]?.status == .queued)
        }
    }

    @Test func aDaemonAnswering500OrNotAtAllIsARecordedSpawnFailure() async throws {
        for behaviour in [FakeDockerDaemon.Behaviour.fail500, .hang] {
            let daemon = try await FakeDockerDaemon(behaviour)
            let docker = try await DockerRuntime.connect(endpoint: daemon.endpoint, timeout: .seconds(1))
            let harness = try RuntimeHarness(runtime: docker)
            let worker = try await harness.spawnWorker()
            let reason = try harness.events().compactMap { if case .workerSpawnFailed(let e) = $0 { e.reason } else { nil } }.first
            switch behaviour {
            case .fail500: #expect(reason?.contains("create \(worker.id): 500 simulated daemon failure") == true, "\(reason ?? "none")")
            case .hang: #expect(reason?.contains("create \(worker.id): no answer within 1 s") == true, "\(reason ?? "none")")
            }
            // The engine keeps working: the item is queued again and other commands succeed.
            #expect(harness.engine.state.workItems[worker.workItemId]?.status == .queued)
            _ = try await harness.engine.queue.add(NewWorkItem(repo: "acme/next"))
            await harness.close()
            await daemon.stop()
        }
    }

    @Test func tcpWhenDockerHostSaysSo() async throws {
        let daemon = try await FakeDockerDaemon(.fail500, tcp: true)
        do {
            guard case .tcp(_, let port) = daemon.endpoint.transport else { return }
            let endpoint = try DockerEndpoint.fromEnvironment(["DOCKER_HOST": "tcp://127.0.0.1:\(port)"])
            let docker = try await DockerRuntime.connect(endpoint: endpoint, timeout: .seconds(1))
            #expect(try await docker.client.version().version == "20.10.24-fake")
            await #expect {
                _ = try await docker.list(instance: "x")
            } throws: { error in
                (error as? DockerError)?.message == "Docker at tcp://127.0.0.1:\(port): list: 500 simulated daemon failure"
            }
        } catch {
            await daemon.stop()
            throw error
        }
        await daemon.stop()
    }
}
