import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogPostgres

/// Durable heartbeats through the engine on a PostgreSQL log: `callers` tasks spread over
/// `instances` engines sharing one schema (as `shiftlog serve` instances do), each call
/// returning once its event is committed. Every engine's appends race for the same next
/// sequence; a loser folds the winner's events and decides again, and that cost is measured.
///
/// With `oneWriter`, every caller uses the first engine and the others only follow (fold
/// every event as it is announced): what three instances would cost if every command were
/// decided by one of them, the bound of any design that forwards commands to one writer.
enum PostgresEngineHeartbeats {
    struct Case: Sendable {
        var callers: Int
        var instances: Int
        var oneWriter = false

        var key: String { "pgengine\(callers)x\(instances)\(oneWriter ? "w" : "")" }
    }

    /// The engine alone at 1 and 64 callers; 64 callers spread over three instances; 64
    /// callers on one of three instances while the other two follow.
    static let cases = [
        Case(callers: 1, instances: 1), Case(callers: 64, instances: 1), Case(callers: 64, instances: 3),
        Case(callers: 64, instances: 3, oneWriter: true),
    ]

    static func run(url server: String, _ shape: Case, seconds: Double) async throws -> Measurement {
        let (callers, instances) = (shape.callers, shape.instances)
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
            try await shared[shape.oneWriter ? 0 : caller % shared.count].heartbeat(
                workerId: heartbeating[caller % heartbeating.count], Heartbeat(iteration: n, tokensIn: 1_200, tokensOut: 300))
        }
        for engine in engines { await engine.close() }
        return Measurement(
            name: "engine on PG, \(callers) caller\(callers == 1 ? "" : "s"), "
                + (shape.oneWriter ? "1 writer + \(instances - 1) following" : "\(instances) instance\(instances == 1 ? "" : "s")"),
            operations: operations, seconds: elapsed, p50Microseconds: latencies.p50, p99Microseconds: latencies.p99,
            note: "schema \(schema)")
    }
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
