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

    public init() {}
}

/// Compares the workers the projections call active with the containers the runtime really
/// has (found by the instance label). Pure: the engine lists the containers, asks this what
/// they mean, and records the answer as events.
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
        return before.workers.values
            .filter { $0.status.isActive && $0.containerId != nil }
            .sorted { $0.id < $1.id }
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
}
