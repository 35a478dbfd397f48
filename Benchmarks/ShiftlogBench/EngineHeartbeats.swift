import Foundation
import ShiftlogCore
import ShiftlogEngine
import Synchronization

/// Durable heartbeats through the engine: `callers` tasks, each heartbeating workers of its
/// own in a loop for `seconds`; every call returns once its event is synced to disk.
enum EngineHeartbeats {
    /// The measurement, and the mean size of the records the engine wrote (for the limit).
    static func run(callers: Int, seconds: Double) async throws -> (Measurement, recordBytes: Int) {
        let folder = temporaryFolder("engine")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = EngineConfiguration()
        configuration.lifecycle.maxWorkers = 64
        configuration.lifecycle.cooldownSeconds = 0
        configuration.lifecycle.dailyBudget = NumericBounds.dailyBudget.upperBound
        configuration.reconcileInterval = nil
        let engine = try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration, startHandlers: false)
        var workers: [WorkerID] = []
        for i in 0..<64 {
            let item = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "item \(i)", maxIterations: NumericBounds.iteration.upperBound))
            workers.append(try await engine.register(workItemId: item.id).workerId)
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: (Int, Latencies).self) { group in
            for caller in 0..<callers {
                let worker = workers[caller % workers.count]
                group.addTask {
                    var latencies = Latencies()
                    var iteration = 0
                    while ContinuousClock.now < deadline {
                        iteration += 1
                        let before = ContinuousClock.now
                        try await engine.heartbeat(workerId: worker, Heartbeat(iteration: iteration, tokensIn: 1_200, tokensOut: 300))
                        latencies.record(ContinuousClock.now - before)
                    }
                    return (iteration, latencies)
                }
            }
            var total = 0
            var all = Latencies()
            for try await (count, latencies) in group {
                total += count
                all.add(latencies)
            }
            return (total, all)
        }
        let elapsed = (ContinuousClock.now - started).seconds
        await engine.close()
        let stats = try RawLMDB.logStats(folder: folder)
        let measurement = Measurement(
            name: "engine heartbeats, \(callers) caller\(callers == 1 ? "" : "s")", operations: results.0, seconds: elapsed,
            p50Microseconds: results.1.p50, p99Microseconds: results.1.p99,
            note: String(format: "%.1f events a write transaction", Double(stats.records) / Double(max(stats.transactions, 1))))
        return (measurement, stats.meanRecordBytes)
    }
}
