import Foundation
import ShiftlogCore
import ShiftlogEngine
import Synchronization

/// Durable heartbeats through the engine: `callers` tasks, each heartbeating workers of its
/// own in a loop for `seconds`; every call returns once its event is synced to disk.
enum EngineHeartbeats {
    /// With or without the effect handlers that `shiftlog serve` runs (containers, metrics),
    /// and how often those store their position after events that call for nothing.
    enum Effects: Sendable {
        case off
        case on(checkpointInterval: Duration)

        /// Sets `configuration`'s checkpoint interval when the handlers run; returns whether they
        /// do (`Engine.open`'s `startHandlers`).
        func apply(to configuration: inout EngineConfiguration) -> Bool {
            guard case .on(let interval) = self else { return false }
            configuration.handlerCheckpointInterval = interval
            return true
        }

        var label: String {
            switch self {
            case .off: ""
            case .on(let interval) where interval == .zero: ", effects, position each event"
            case .on(let interval): ", effects, position each \(interval)"
            }
        }
    }

    /// The measurement, and the mean size of the records the engine wrote (for the limit).
    static func run(callers: Int, seconds: Double, effects: Effects = .off) async throws -> (Measurement, recordBytes: Int) {
        let folder = temporaryFolder("engine")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = configuration
        let startHandlers = effects.apply(to: &configuration)
        let engine = try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration, startHandlers: startHandlers)
        let heartbeating = try await registerWorkers(engine)
        let (operations, latencies, elapsed) = try await closedLoops(callers: callers, seconds: seconds) { caller, n in
            try await engine.heartbeat(workerId: heartbeating[caller % heartbeating.count], Heartbeat(iteration: n, tokensIn: 1_200, tokensOut: 300))
        }
        await engine.close()
        let stats = try RawLMDB.logStats(folder: folder)
        let measurement = Measurement(
            name: "engine heartbeats, \(callers) caller\(callers == 1 ? "" : "s")\(effects.label)", operations: operations,
            seconds: elapsed,
            p50Microseconds: latencies.p50, p99Microseconds: latencies.p99,
            note: String(format: "%.1f events a write transaction", Double(stats.records) / Double(max(stats.transactions, 1))))
        return (measurement, stats.meanRecordBytes)
    }

    /// The rules of every heartbeat case: 64 workers at once, no cooldown, a budget that never
    /// runs out, no reconciliation timer.
    static var configuration: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.lifecycle.maxWorkers = 64
        configuration.lifecycle.cooldownSeconds = 0
        configuration.lifecycle.dailyBudget = ShiftlogSettings.dailyBudget.range.upperBound
        configuration.reconcileInterval = nil
        return configuration
    }

    /// 64 items, each with a registered (running) worker to heartbeat; their ids.
    static func registerWorkers(_ engine: Engine) async throws -> [WorkerID] {
        var workers: [WorkerID] = []
        for i in 0..<64 {
            let item = try await engine.queue.add(
                NewWorkItem(repo: "acme/web", spec: "item \(i)", maxIterations: NumericBounds.iteration.upperBound))
            workers.append(try await engine.register(workItemId: item.id).workerId)
        }
        return workers
    }
}
