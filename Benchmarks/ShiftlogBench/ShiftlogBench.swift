import ArgumentParser
import Foundation
import ShiftlogInspect
import ShiftlogStore

/// `shiftlog-bench`: the engine beside the limit (raw LMDB) and the peer (PostgreSQL), in one
/// run, with the ratios the performance targets are stated in.
@main
struct ShiftlogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shiftlog-bench",
        abstract: "Measure durable heartbeats, replay, open and memory beside raw LMDB and PostgreSQL.",
        discussion: """
            Run a release build: swift run -c release shiftlog-bench --json bench.json
            PostgreSQL 15 (Debian's postgresql-15) is started by Benchmarks/postgres-peer; \
            --no-postgres leaves it out.
            """)

    @Option(help: "Seconds each throughput case runs.")
    var seconds = 5.0

    @Option(help: ArgumentHelp(
        "Rounds of every case; each figure is the round with the median throughput.",
        discussion: "The engine, raw LMDB and PostgreSQL cases take turns within a round, so that a noisy spell on the machine falls on all of them."))
    var rounds = 3

    @Option(help: "Events in the generated log for replay and open.")
    var replayEvents: UInt64 = 1_000_000

    @Option(help: ArgumentHelp(
        "Replay and open this log instead of generating one (a folder written by `shiftlog generate`).",
        discussion: "Generating 10M events takes minutes; generate once and pass the folder to every run."))
    var replayLog: String?

    @Option(help: "Workers in the projections for the memory case.")
    var workers = 100_000

    @Option(help: "Write the results and ratios as JSON here.")
    var json: String?

    @Flag(inversion: .prefixedNo, help: "Run the PostgreSQL peer.")
    var postgres = true

    @Option(help: "Run only these groups (repeatable): memory, engine, effects, http, sse, lmdb, postgres, pgengine, replay. Default: all.")
    var only: [String] = []

    func wants(_ group: String) -> Bool { only.isEmpty || only.contains(group) }

    @Option(help: "Events in the log the sse group's streams catch up on.")
    var sseEvents: UInt64 = 1_000_000

    @Option(help: .hidden)
    var follow: String?

    @Option(help: .hidden)
    var subscribe: String?

    @Option(help: .hidden)
    var streams = 200

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Drive the HTTP cases with wrk (in another process) when it is installed, as well as with the in-process client.",
        discussion: "The in-process client shares the process and the cores with the server; with wrk the targets are judged on wrk's figures."))
    var wrk = true

    /// The HTTP cases' clients, the one the targets are judged on first.
    var httpClients: [HTTPHeartbeats.Client] { wrk && Wrk.isInstalled ? [.wrk, .inProcess] : [.inProcess] }

    func run() async throws {
        if let subscribe {
            // The streams of the sse group, in a process of their own (EventStreamSubscribers.Apart).
            try await EventStreamSubscribers.subscribe(url: subscribe, streams: streams)
            return
        }
        if let follow {
            // A follower process of the PostgreSQL cases (PostgresEngineHeartbeats).
            try await PostgresEngineHeartbeats.follow(url: follow, seconds: seconds)
            return
        }
        var results: [Measurement] = []
        // The engine-on-PostgreSQL cases need a server: SHIFTLOG_POSTGRES_URL, or a private one
        // started here (scripts/postgres-server, the same settings as the peer's).
        var pgServerStarted: PostgresServer?
        func pgServerURL() throws -> String {
            if let url = ProcessInfo.processInfo.environment["SHIFTLOG_POSTGRES_URL"] { return url }
            let server = try pgServerStarted ?? PostgresServer.start()
            pgServerStarted = server
            return server.url
        }
        func show(_ m: Measurement) {
            results.append(m)
            let latency = m.p99Microseconds.map { String(format: "  p50 %.0f µs  p99 %.0f µs", m.p50Microseconds ?? 0, $0) } ?? ""
            // A case of one operation (opening a log) reads better as a duration than as a rate.
            let once = m.operations == 1
            func figure(_ perSecond: Double, width: Int = 0) -> String {
                once ? String(format: "%*.1f ms", Int32(width), 1_000 / perSecond) : String(format: "%*.0f", Int32(width), perSecond)
            }
            let spread = m.rounds.map { "  [rounds " + $0.map { figure($0) }.joined(separator: " / ") + "]" } ?? ""
            print(padded(m.name, 44) + figure(m.perSecond, width: 12) + (once ? "" : " /s")
                + latency + (m.note.map { "  (\($0))" } ?? "") + spread)
        }

        // Memory first: later cases leave the allocator holding freed pages, which would hide
        // what the projections take.
        if wants("memory") { show(try ProjectionMemory.run(workers: workers)) }
        var engine: [Int: Measurement] = [:]
        var recordBytes = 228
        var synced: Measurement?
        var batched64: Measurement?
        var batched: Measurement?
        var peer: [Int: Measurement] = [:]
        var each: [String: [Measurement]] = [:]
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("postgres-peer").path
        for round in 1...max(rounds, 1) {
            if rounds > 1 { print("round \(round) of \(rounds)…") }
            if wants("engine") {
                for callers in [1, 8, 64] {
                    let (measurement, bytes) = try await EngineHeartbeats.run(callers: callers, seconds: seconds)
                    each["engine\(callers)", default: []].append(measurement)
                    recordBytes = bytes
                }
            }
            if wants("effects") {
                // What the handlers of `shiftlog serve` add to a durable heartbeat, and what
                // storing their position at most once a second (the default) saves.
                for callers in [1, 64] {
                    for interval in [Duration.zero, .seconds(1)] {
                        let (measurement, _) = try await EngineHeartbeats.run(
                            callers: callers, seconds: seconds, effects: .on(checkpointInterval: interval))
                        each["effects\(callers) \(interval)", default: []].append(measurement)
                    }
                }
                // Over HTTP the next heartbeat comes later, so a handler's position is no longer
                // written in the same transaction as it: what `shiftlog serve` pays.
                for interval in [Duration.zero, .seconds(1)] {
                    each["effects http1 \(interval)", default: []].append(try await HTTPHeartbeats.run(
                        connections: 1, seconds: seconds, client: httpClients[0], effects: .on(checkpointInterval: interval)))
                }
            }
            if wants("http") {
                for client in httpClients {
                    for connections in [1, 64] {
                        each["http\(connections) \(client.rawValue)", default: []].append(
                            try await HTTPHeartbeats.run(connections: connections, seconds: seconds, client: client))
                    }
                }
            }
            if wants("sse") {
                // Heartbeats (wrk, 64 connections) on a log of `sseEvents` events, without and
                // then with 200 streams catching up on it from the start: what the streams'
                // reading costs the writer and the request handlers (target: p99 at most 2x).
                let folder = temporaryFolder("sse")
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let log = try LMDBEventLog(path: folder)
                try LogGenerator(events: sseEvents).write(to: log)
                log.close()
                // The streams with the default pace, and without one (the baseline of the pace).
                for (key, subscribers, pace) in [("sse0", 0, Int??.none), ("sse200", 200, .none), ("sse200unpaced", 200, .some(nil))] {
                    each[key, default: []].append(try await HTTPHeartbeats.run(
                        connections: 64, seconds: seconds, client: httpClients[0], log: folder, subscribers: subscribers,
                        catchUpBytesPerSecond: pace))
                }
            }
            if wants("lmdb") {
                each["synced", default: []].append(try RawLMDB.synced(recordBytes: recordBytes, seconds: seconds))
                // Batches of 64 are what the engine's group commit forms with 64 callers; 512 is
                // its largest batch (maxBatchSize).
                each["batched64", default: []].append(try RawLMDB.batched(recordBytes: recordBytes, batch: 64, seconds: seconds))
                each["batched512", default: []].append(try RawLMDB.batched(recordBytes: recordBytes, batch: 512, seconds: seconds))
            }
            if postgres && wants("postgres") {
                for clients in [1, 64] {
                    each["postgres\(clients)", default: []].append(try PostgresPeer.run(clients: clients, seconds: seconds, script: script))
                }
            }
            if postgres && wants("pgengine") {
                let url = try pgServerURL()
                for shape in PostgresEngineHeartbeats.cases {
                    each[shape.key, default: []].append(try await PostgresEngineHeartbeats.run(url: url, shape, seconds: seconds))
                }
            }
        }
        pgServerStarted?.stop()
        func median(_ key: String) -> Measurement? { each[key].map(Measurement.median(of:)) }
        for callers in [1, 8, 64] { engine[callers] = median("engine\(callers)") }
        synced = median("synced")
        batched64 = median("batched64")
        batched = median("batched512")
        for clients in [1, 64] { peer[clients] = median("postgres\(clients)") }
        // The targets are judged on the first client: wrk when installed (a client in another
        // process, as a user measures), else the in-process one.
        let http1 = httpClients.first.flatMap { median("http1 \($0.rawValue)") }
        let http64 = httpClients.first.flatMap { median("http64 \($0.rawValue)") }
        let httpOthers = httpClients.dropFirst().flatMap { client in [1, 64].compactMap { median("http\($0) \(client.rawValue)") } }
        let pgEngine = PostgresEngineHeartbeats.cases.map { median($0.key) }
        let effects = [1, 64].flatMap { callers in
            [Duration.zero, .seconds(1)].compactMap { median("effects\(callers) \($0)") }
        } + [Duration.zero, .seconds(1)].compactMap { median("effects http1 \($0)") }
        let sse = ["sse0", "sse200", "sse200unpaced"].map { median($0) }
        for m in [engine[1], engine[8], engine[64]] + effects + [http1, http64] + httpOthers + sse
            + [synced, batched64, batched, peer[1], peer[64]] + pgEngine
        {
            if let m { show(m) }
        }
        var replay: [Measurement] = []
        if wants("replay") {
            replay = try replayLog.map { try ReplayAndOpen.run(log: $0, rounds: rounds) }
                ?? ReplayAndOpen.run(events: replayEvents, rounds: rounds)
            replay.forEach(show)
        }

        var ratios: [Ratio] = []
        let httpClient = httpClients.first?.rawValue ?? ""
        if let one = pgEngine[1], let three = pgEngine[2] {
            if let p64 = peer[64] {
                ratios.append(Ratio(name: "engine on PG@64 / PostgreSQL@64", value: one.perSecond / p64.perSecond, target: "≥ 3"))
            }
            ratios.append(Ratio(name: "PG: 3 instances / 1 instance, @64", value: three.perSecond / one.perSecond, target: "≥ 1"))
            if let oneWriter = pgEngine[3] {
                ratios.append(Ratio(
                    name: "PG: 1 writer + 2 following / 1 instance, @64",
                    value: oneWriter.perSecond / one.perSecond, target: "none: a bound"))
            }
            if let apart = pgEngine[4] {
                ratios.append(Ratio(
                    name: "PG: 1 writer + 2 following processes / 1 instance, @64",
                    value: apart.perSecond / one.perSecond, target: "none: a bound"))
            }
        }
        if let e64 = engine[64], let p64 = peer[64] {
            ratios.append(Ratio(name: "engine@64 / PostgreSQL@64 (heartbeats/s)", value: e64.perSecond / p64.perSecond, target: "≥ 10"))
        }
        if let e64 = engine[64], let batched64, let batched {
            ratios.append(Ratio(name: "engine@64 / raw LMDB 64 per txn (events/s)", value: e64.perSecond / batched64.perSecond, target: "≥ 0.5"))
            ratios.append(Ratio(name: "engine@64 / raw LMDB 512 per txn (events/s)", value: e64.perSecond / batched.perSecond, target: "≥ 0.5"))
        }
        if let h64 = http64, let e64 = engine[64] {
            ratios.append(Ratio(name: "HTTP@64 / engine@64 (heartbeats/s, \(httpClient))", value: h64.perSecond / e64.perSecond, target: "≥ 0.5"))
        }
        if let h64 = http64, let p64 = peer[64] {
            ratios.append(Ratio(name: "HTTP@64 / PostgreSQL@64 (heartbeats/s, \(httpClient))", value: h64.perSecond / p64.perSecond, target: "≥ 5"))
        }
        if let h1 = http1?.p99Microseconds, let e1 = engine[1]?.p99Microseconds {
            ratios.append(Ratio(name: "HTTP@1 p99 / engine@1 p99 (\(httpClient))", value: h1 / e1, target: "≤ 2"))
        }
        if let quiet = sse[0]?.p99Microseconds, let catchingUp = sse[1]?.p99Microseconds {
            ratios.append(Ratio(
                name: "HTTP@64 p99, 200 streams catching up (paced) / none", value: catchingUp / quiet, target: "≤ 2"))
        }
        if let quiet = sse[0]?.p99Microseconds, let catchingUp = sse[2]?.p99Microseconds {
            ratios.append(Ratio(
                name: "HTTP@64 p99, 200 streams catching up (unpaced) / none", value: catchingUp / quiet, target: "-"))
        }
        if let e1 = engine[1], let p99 = e1.p99Microseconds, let raw = synced?.p99Microseconds {
            ratios.append(Ratio(name: "engine@1 p99 / raw synced txn p99", value: p99 / raw, target: "≤ 2"))
        }
        if replay.count == 3 {
            ratios.append(Ratio(name: "replay events/s (millions)", value: replay[0].perSecond / 1e6, target: "≥ 1"))
            ratios.append(Ratio(name: "open with snapshot (ms)", value: replay[1].seconds * 1_000, target: "< 200 (10M)"))
            ratios.append(Ratio(name: "open without snapshot (ms)", value: replay[2].seconds * 1_000, target: "-"))
        }
        print("\nratios")
        for ratio in ratios {
            print("  " + padded(ratio.name, 46) + String(format: "%10.2f", ratio.value) + "   target \(ratio.target)")
        }
        print("record size: \(recordBytes) bytes (mean of the engine's records)")

        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = Report(recordBytes: recordBytes, measurements: results, ratios: ratios)
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }
}

struct Ratio: Codable {
    var name: String
    var value: Double
    var target: String
}

struct Report: Encodable {
    var recordBytes: Int
    var measurements: [Measurement]
    var ratios: [Ratio]
}

/// `text` padded with spaces to `width`; a longer text is kept whole (a column out of line
/// reads better than a name cut short).
func padded(_ text: String, _ width: Int) -> String {
    text.count < width ? text.padding(toLength: width, withPad: " ", startingAt: 0) : text + " "
}
