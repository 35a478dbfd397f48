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
            name: "engine on PG, \(callers) caller\(callers == 1 ? "" : "s"), \(instances) instance\(instances == 1 ? "" : "s")",
            operations: operations, seconds: elapsed, p50Microseconds: latencies.p50, p99Microseconds: latencies.p99,
            note: "schema \(schema)")
    }
}

extension PostgresEngineHeartbeats {
    /// (callers, instances): the engine alone at 1 and 64 callers, then 64 callers spread
    /// over three instances.
    static let cases: [(callers: Int, instances: Int)] = [(1, 1), (64, 1), (64, 3)]
}

/// A private PostgreSQL 15 for the bench, started and stopped with `scripts/postgres-server`.
struct PostgresServer {
    let url: String
    let folder: String
    let script: String

    static func start() throws -> PostgresServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres-server").path
        let folder = temporaryFolder("postgres")
        let output = try run(script, ["start", folder])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("export SHIFTLOG_POSTGRES_URL=") }) else {
            throw BenchError("scripts/postgres-server printed no URL: \(output)")
        }
        return PostgresServer(url: String(line.dropFirst("export SHIFTLOG_POSTGRES_URL=".count)), folder: folder, script: script)
    }

    func stop() {
        _ = try? Self.run(script, ["stop", folder])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(executable) \(arguments.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
