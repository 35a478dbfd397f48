public import ShiftlogCore

/// Starts a container for each spawned worker and stops it when the worker ends, through a
/// ``ContainerRuntime``. Outcomes come back as `containerStarted`, `workerSpawnFailed`,
/// `containerStopped` (with the last log lines) or `containerStopFailed`.
public struct ContainerHandler: EffectHandler {
    public let name = "containers"
    let runtime: any ContainerRuntime
    let configuration: EngineConfiguration

    public init(runtime: any ContainerRuntime, configuration: EngineConfiguration) {
        self.runtime = runtime
        self.configuration = configuration
    }

    public func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
        switch event.event {
        case .workerSpawned(let spawned):
            // Catching up after a restart: a worker that has moved on needs no container.
            guard let worker = state.workers[spawned.workerId], worker.status == .starting else { return [] }
            return await start(worker, item: state.workItems[worker.workItemId])
        case .workerCompleted(let e): return await stop(e.workerId, state)
        case .workerFailed(let e): return await stop(e.workerId, state)
        case .workerStuck(let e): return await stop(e.workerId, state)
        case .workerKilled(let e): return await stop(e.workerId, state)
        default: return []
        }
    }

    /// The container spec whim gives a worker: its id, its item as JSON, where to call back,
    /// the mode, and the configured extra (possibly secret) environment.
    func spec(for worker: Worker, item: WorkItem?) -> ContainerSpec {
        var environment = configuration.workerEnvironment
        environment["WORKER_ID"] = worker.id
        environment["ORCHESTRATOR_URL"] = configuration.orchestratorURL
        if let item, let json = try? CanonicalJSON.line(item) { environment["WORK_ITEM"] = json }
        if worker.mode == .verification { environment["WORKER_MODE"] = "verification" }
        return ContainerSpec(
            name: worker.id, image: configuration.workerImage, environment: environment,
            labels: [
                ContainerLabel.workerId: worker.id,
                ContainerLabel.workItemId: worker.workItemId,
                ContainerLabel.instance: configuration.instanceName,
            ],
            limits: configuration.limits)
    }

    private func start(_ worker: Worker, item: WorkItem?) async -> [Command] {
        do {
            let handle = try await runtime.start(spec(for: worker, item: item))
            return [.recordContainerStarted(workerId: worker.id, containerId: handle.id)]
        } catch is CancellationError {
            return []  // the process is going away; the start is delivered again on restart
        } catch {
            // Leave nothing behind: a container created before the failure is removed.
            _ = try? await runtime.stop(name: worker.id, grace: .zero)
            return [.recordSpawnFailure(workerId: worker.id, reason: "\(error)")]
        }
    }

    private func stop(_ workerId: WorkerID, _ state: LifecycleState) async -> [Command] {
        guard state.capturedLogs[workerId] == nil else { return [] }  // already stopped
        do {
            let logs = try await runtime.logs(name: workerId, lines: configuration.capturedLogLines)
            let exit = try await runtime.stop(name: workerId, grace: .seconds(configuration.stopGraceSeconds))
            return [.recordContainerStopped(
                workerId: workerId, containerId: exit?.containerId ?? state.workers[workerId]?.containerId,
                found: exit != nil, exitCode: exit?.exitCode, logTail: logs ?? [])]
        } catch is CancellationError {
            return []
        } catch {
            return [.recordStopFailure(workerId: workerId, reason: "\(error)")]
        }
    }
}
