import Logging
public import ShiftlogCore

/// What one reconciliation pass found and recorded.
public struct ReconciliationReport: Sendable, Hashable {
    /// Active workers whose container was gone or had exited, recorded as `workerLost`.
    public var lost: [WorkerID] = []
    /// Containers labelled as ours that no active worker owns, removed and recorded as
    /// `orphanContainerRemoved`.
    public var orphansRemoved: [String] = []
    /// Orphans the runtime would not remove, with its reason (tried again next pass).
    public var orphansLeft: [String: String] = [:]

    /// An empty report.
    public init() {}
}

/// Compares the workers the projections call active with the containers the runtime really
/// has (found by the instance label). `lostWorkers` and `orphans` are the pure rules; `run`
/// lists the containers, applies the rules and records the findings as commands.
enum Reconciliation {
    /// An active worker whose container is not running.
    struct Lost: Sendable, Hashable {
        var worker: Worker
        var reason: String
    }

    /// Workers active in `before` (read before the containers were listed) whose container
    /// is gone or has exited. A worker still `starting` with no container is left alone: its
    /// start is in flight, and the start deadline covers a start that never ends.
    static func lostWorkers(before: LifecycleState, containers: [ContainerHandle]) -> [Lost] {
        let byWorker = Dictionary(containers.map { (workerId(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        return before.activeWorkersById
            .filter { $0.containerId != nil }
            .compactMap { worker in
                guard let container = byWorker[worker.id] else {
                    return Lost(worker: worker, reason: "container \(worker.containerId ?? worker.id) is gone")
                }
                guard !container.running else { return nil }
                return Lost(worker: worker, reason: container.exitCode.map { "container exited with code \($0)" } ?? "container is not running")
            }
    }

    /// Containers that no worker of `after` (read after the listing) owns: an unknown worker
    /// (a crash, or a spawn given up before its container appeared), or a finished worker
    /// whose stop has been recorded (its container should be gone, unless kept).
    static func orphans(after: LifecycleState, containers: [ContainerHandle], keepFinished: Bool) -> [ContainerHandle] {
        containers.filter { container in
            let id = workerId(of: container)
            guard let worker = after.workers[id] else { return true }
            if worker.status.isActive { return false }
            return after.capturedLogs[id] != nil && !keepFinished
        }
        .sorted { $0.name < $1.name }
    }

    static func workerId(of container: ContainerHandle) -> WorkerID {
        container.labels[ContainerLabel.workerId] ?? container.name
    }

    // MARK: Running it

    /// One pass: list the containers, record what differs (see ``Engine/reconcile()``).
    static func run(
        runtime: any ContainerRuntime, writer: CommandWriter, configuration: EngineConfiguration, term: UInt64? = nil
    ) async throws -> ReconciliationReport {
        // Lost workers are judged on the state from before the listing, orphans on the state
        // after it, so that a start or stop racing with the listing is never misread.
        let before = writer.current
        let containers = try await runtime.list(instance: configuration.instanceName)
        var report = ReconciliationReport()
        // Queued together, so that the effects of the first (stopping its container) cannot
        // record their outcome between them: the log tells one story however threads run.
        let lost = lostWorkers(before: before, containers: containers)
        let recorded = await writer.submitAll(
            lost.map { .recordWorkerLost(workerId: $0.worker.id, reason: $0.reason) }, term: term)
        for (lost, result) in zip(lost, recorded) {
            // Refused when the worker ended meanwhile: then it was not lost.
            if case .success = result { report.lost.append(lost.worker.id) }
        }
        let after = writer.current
        for orphan in orphans(after: after, containers: containers, keepFinished: configuration.keepFinishedContainers) {
            do {
                // Gone already (its worker's stop removed it meanwhile): nothing to record.
                guard try await runtime.remove(name: orphan.name) else { continue }
                let workerId = orphan.labels[ContainerLabel.workerId]
                _ = try await writer.submit(.recordOrphanRemoved(OrphanContainerRemoved(
                    containerName: orphan.name, containerId: orphan.id, labelledWorkerId: workerId,
                    labelledWorkItemId: orphan.labels[ContainerLabel.workItemId], exitCode: orphan.exitCode)), term: term)
                report.orphansRemoved.append(orphan.name)
            } catch {
                report.orphansLeft[orphan.name] = "\(error)"
            }
        }
        return report
    }

    /// A pass now, then one every `interval`, until the task is cancelled.
    static func runForever(
        every interval: Duration, runtime: any ContainerRuntime, writer: CommandWriter, configuration: EngineConfiguration,
        term: UInt64? = nil, logger: Logger
    ) async {
        while !Task.isCancelled {
            do {
                let report = try await run(runtime: runtime, writer: writer, configuration: configuration, term: term)
                if !report.lost.isEmpty || !report.orphansRemoved.isEmpty || !report.orphansLeft.isEmpty {
                    logger.notice("reconciled", metadata: [
                        "lost": "\(report.lost)", "orphansRemoved": "\(report.orphansRemoved)", "orphansLeft": "\(report.orphansLeft)",
                    ])
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("reconciliation failed: the runtime did not list its containers", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
