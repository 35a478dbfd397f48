import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogPostgres

/// Durable heartbeats through the engine on a PostgreSQL log: `callers` tasks spread over
/// `instances` engines sharing one schema (as `shiftlog serve` instances do), each call
/// returning once its event is committed. Every engine's appends race for the same next
/// sequence; a loser folds the winner's events and decides again, and that cost is measured.
enum PostgresEngineHeartbeats {
    static func run(url server: String, callers: Int, instances: Int, seconds: Double) async throws -> Measurement {
        let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
        let url = server + (server.contains("?") ? "&" : "?") + "schema=\(schema)"
        var engines: [Engine] = []
        for _ in 0..<instances {
            engines.append(try Engine.open(
                store: PostgresEventLog(url: url), runtime: InMemoryContainerRuntime(),
                configuration: EngineHeartbeats.configuration, startHandlers: false))
        }
        let heartbeating = try await EngineHeartbeats.registerWorkers(engines[0])
        for engine in engines { try await engine.catchUp() }
        let shared = engines
        let (operations, latencies, elapsed) = try await closedLoops(callers: callers, seconds: seconds) { caller, n in
            try await shared[caller % shared.count].heartbeat(
                workerId: heartbeating[caller % heartbeating.count], Heartbeat(iteration: n, tokensIn: 1_200, tokensOut: 300))
        }
        for engine in engines { await engine.close() }
        return Measurement(
            name: "engine on PostgreSQL, \(callers) caller\(callers == 1 ? "" : "s"), \(instances) instance\(instances == 1 ? "" : "s")",
            operations: operations, seconds: elapsed, p50Microseconds: latencies.p50, p99Microseconds: latencies.p99,
            note: "schema \(schema)")
    }
}
