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
/// decided by one of them, the bound of any design that forwards commands to one writer. With
/// `followersApart` too, the followers are processes of their own (`--follow`), as instances
/// are, rather than engines sharing this process's threads.
enum PostgresEngineHeartbeats {
    struct Case: Sendable {
        var callers: Int
        var instances: Int
        var oneWriter = false
        var followersApart = false

        var key: String { "pgengine\(callers)x\(instances)\(oneWriter ? "w" : "")\(followersApart ? "p" : "")" }
    }

    /// The engine alone at 1 and 64 callers; 64 callers spread over three instances; 64
    /// callers on one of three instances while the other two follow, in this process and in
    /// processes of their own.
    static let cases = [
        Case(callers: 1, instances: 1), Case(callers: 64, instances: 1), Case(callers: 64, instances: 3),
        Case(callers: 64, instances: 3, oneWriter: true), Case(callers: 64, instances: 3, oneWriter: true, followersApart: true),
    ]

    static func run(url server: String, _ shape: Case, seconds: Double) async throws -> Measurement {
        let (callers, instances) = (shape.callers, shape.instances)
        let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
        let url = server + (server.contains("?") ? "&" : "?") + "schema=\(schema)"
        var engines: [Engine] = []
        var followers: [Process] = []
        defer {
            for follower in followers where follower.isRunning { follower.terminate() }
            for follower in followers { follower.waitUntilExit() }
        }
        for index in 0..<instances {
            if shape.followersApart, index > 0 {
                // The schema exists once the first engine has opened: start the others on it.
                followers.append(try startFollower(url: url, seconds: seconds + 30))
                continue
            }
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
        let appends = (try? appendTransactions(server: server, schema: schema)).map {
            String(format: "; %d events in %d append transactions, %.1f events each", $0.events, $0.transactions,
                   Double($0.events) / Double(max($0.transactions, 1)))
        } ?? ""
        let following = "1 writer + \(instances - 1) following" + (shape.followersApart ? " (processes)" : "")
        return Measurement(
            name: "engine on PG, \(callers) caller\(callers == 1 ? "" : "s"), "
                + (shape.oneWriter ? following : "\(instances) instance\(instances == 1 ? "" : "s")"),
            operations: operations, seconds: elapsed, p50Microseconds: latencies.p50, p99Microseconds: latencies.p99,
            note: "schema \(schema)" + appends)
    }

    /// How many events the log holds and how many transactions appended them, from the rows'
    /// own `xmin` (the inserting transaction): with the commit's sync the cost of an append,
    /// the events each one carried are what a case's throughput is made of.
    static func appendTransactions(server: String, schema: String) throws -> (events: Int, transactions: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-A", "-t", "-q", server, "-c", "SELECT count(*), count(DISTINCT xmin::text) FROM \"\(schema)\".events"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").compactMap { Int($0) }
        guard fields.count == 2 else { throw BenchError("psql: \(text)") }
        return (fields[0], fields[1])
    }
}

extension PostgresEngineHeartbeats {
    /// This executable again, following the log at `url` for `seconds` (`--follow`); returns
    /// once it says it follows.
    static func startFollower(url: String, seconds: Double) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["--follow", url, "--seconds", String(seconds)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let line = out.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).hasPrefix("following") else {
            throw BenchError("a follower did not start: \(String(decoding: line, as: UTF8.self))")
        }
        return process
    }

    /// `--follow URL`: an engine on the log that writes nothing and folds every event as it
    /// is announced, as an instance that serves no requests does, until `seconds` pass or it
    /// is terminated.
    static func follow(url: String, seconds: Double) async throws {
        let engine = try Engine.open(
            store: PostgresEventLog(url: url), runtime: InMemoryContainerRuntime(), configuration: EngineHeartbeats.configuration,
            startHandlers: false)
        FileHandle.standardOutput.write(Data("following \(url)\n".utf8))
        try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
        await engine.close()
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
