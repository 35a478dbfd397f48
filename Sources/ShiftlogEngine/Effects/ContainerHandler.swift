public import ShiftlogCore

/// Starts a container for each spawned worker and stops it when the worker ends, through a
/// ``ContainerRuntime``: at once when the orchestrator ended it (a kill, a cancel's grace run
/// out, a loss); when a worker reported its own end (complete, fail, stuck), only once its
/// end grace has elapsed (`endGraceElapsed`), so that it can read its answer and exit by
/// itself. Outcomes come back as `containerStarted`, `workerSpawnFailed`, `containerStopped`
/// or `containerExited` (each with the last log lines), or `containerStopFailed`. A runtime that
/// cannot be reached at all (``RuntimeUnavailability``) is not an outcome: the error is
/// thrown, and the runner retries the effect with backoff until the runtime answers.
public struct ContainerHandler: EffectHandler {
    /// `containers`: its checkpoint's name.
    public let name = "containers"
    let runtime: any ContainerRuntime
    let configuration: EngineConfiguration

    /// A handler that starts and stops containers through `runtime`, with the image, limits
    /// and environment of `configuration`.
    public init(runtime: any ContainerRuntime, configuration: EngineConfiguration) {
        self.runtime = runtime
        self.configuration = configuration
    }

    /// Starts the container of a spawned worker that is still active; stops the container of
    /// a worker the orchestrator ended, or whose end grace has elapsed.
    public func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
        if case .workerSpawned(let spawned) = event.event {
            // Catching up (after a restart, or behind slow effects): a worker that has ended
            // needs no container; one still active does, even if it already heartbeats.
            guard let worker = state.workers[spawned.workerId], worker.status.isActive else { return [] }
            return try await start(worker, item: state.workItems[worker.workItemId])
        }
        if let stopped = event.event.stoppedWorkerId { return try await stop(stopped, state) }
        return []
    }

    /// The container spec whim gives a worker: its id, its item as JSON, where to call back,
    /// the mode, and the configured extra (possibly secret) environment.
    func spec(for worker: Worker, item: WorkItem?) -> ContainerSpec {
        var environment = configuration.workerEnvironment
        environment["WORKER_ID"] = worker.id
        environment["WORK_ITEM_ID"] = worker.workItemId
        environment["ORCHESTRATOR_URL"] = configuration.orchestratorURL
        if let item, let json = try? CanonicalJSON.line(item) { environment["WORK_ITEM"] = json }
        if worker.mode == .verification { environment["WORKER_MODE"] = "verification" }
        if let own = configuration.environmentOfWorker?(worker.id) { environment.merge(own) { $1 } }
        return ContainerSpec(
            name: worker.id, image: configuration.workerImage, environment: environment,
            labels: [
                ContainerLabel.workerId: worker.id,
                ContainerLabel.workItemId: worker.workItemId,
                ContainerLabel.instance: configuration.instanceName,
            ],
            limits: configuration.limits, command: configuration.workerCommand)
    }

    private func start(_ worker: Worker, item: WorkItem?) async throws -> [Command] {
        let spec = spec(for: worker, item: item)
        do {
            let handle = try await runtime.start(spec)
            // The names of the variables go into the log; their values (secrets) never do.
            return [.recordContainerStarted(
                workerId: worker.id, containerId: handle.id, environment: spec.environment.keys.sorted())]
        } catch is CancellationError {
            return []  // the process is going away; the start is delivered again on restart
        } catch let error as any RuntimeUnavailability where error.runtimeIsUnavailable {
            throw error  // retried with backoff: the worker stays starting, its item in progress
        } catch {
            // Nothing to clean up here: the runtime removes what a failed start created, and
            // only that. A container it was adopting, or one of another instance with the
            // worker's name (refused as `nameTaken`), is not this start's to remove.
            return [.recordSpawnFailure(workerId: worker.id, reason: "\(error)")]
        }
    }

    /// Stops the container (with the grace period), then reads its last lines, so that what
    /// the worker printed while shutting down is kept; then removes it unless configured not to.
    /// A container that had already exited by itself is recorded as `containerExited`.
    private func stop(_ workerId: WorkerID, _ state: LifecycleState) async throws -> [Command] {
        guard state.capturedLogs[workerId] == nil else { return [] }  // already stopped
        do {
            let exit = try await runtime.stop(name: workerId, grace: .seconds(configuration.stopGraceSeconds))
            let logs = exit == nil ? nil : try await runtime.logs(name: workerId, lines: configuration.capturedLogLines)
            if exit != nil, !configuration.keepFinishedContainers { _ = try await runtime.remove(name: workerId) }
            if let exit, !exit.stopped {
                return [.recordContainerExited(
                    workerId: workerId, containerId: exit.containerId, exitCode: exit.exitCode, logTail: logs ?? [])]
            }
            return [.recordContainerStopped(
                workerId: workerId, containerId: exit?.containerId ?? state.workers[workerId]?.containerId,
                found: exit != nil, exitCode: exit?.exitCode, logTail: logs ?? [])]
        } catch is CancellationError {
            return []
        } catch let error as any RuntimeUnavailability where error.runtimeIsUnavailable {
            throw error
        } catch {
            return [.recordStopFailure(workerId: workerId, reason: "\(error)")]
        }
    }
}
