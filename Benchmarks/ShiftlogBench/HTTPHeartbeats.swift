import AsyncHTTPClient
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer

/// Durable heartbeats over HTTP: the service (`ShiftlogService`, in this process, on a real
/// socket on 127.0.0.1) and `connections` clients, each heartbeating workers of its own in a
/// loop through their own URLs (with their credentials, as whim's workers call), for `seconds`.
/// Every 200 answer is a synced event, as in the engine case.
///
/// Two clients: AsyncHTTPClient in this process (``Client/inProcess``), which shares the
/// process and its threads with the server, and `wrk` in a process of its own (``Client/wrk``),
/// as a user would measure the service. While `wrk` runs, this process does nothing but serve.
enum HTTPHeartbeats {
    enum Client: String, Sendable {
        case inProcess = "in-process"
        case wrk = "wrk"
    }

    /// With `log`, the service opens that folder (a log written beforehand) instead of an
    /// empty one; with `subscribers`, that many clients read `GET /api/events?after=0` (in a
    /// process of their own, discarding what they read) while the heartbeats are measured:
    /// streams catching up on the whole log.
    static func run(
        connections: Int, seconds: Double, client: Client, effects: EngineHeartbeats.Effects = .off,
        log: String? = nil, subscribers: Int = 0, catchUpBytesPerSecond: Int?? = .none
    ) async throws -> Measurement {
        let folder = log ?? temporaryFolder("http")
        defer { if log == nil { try? FileManager.default.removeItem(atPath: folder) } }
        var configuration = EngineHeartbeats.configuration
        // A written log has active workers of its own; the bench's 64 come on top.
        if log != nil { configuration.lifecycle.maxWorkers = ShiftlogSettings.maxWorkers.range.upperBound }
        let startHandlers = effects.apply(to: &configuration)
        let credentials = WorkerCredentials(key: InstanceKey(bytes: Array(repeating: 1, count: 32)))
        ShiftlogService.configureWorkerURLs(&configuration, credentials: credentials)
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let engine = try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration, logger: logger,
            startHandlers: startHandlers)
        var settings = ServerSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        if case .some(let pace) = catchUpBytesPerSecond { settings.eventStream.catchUpBytesPerSecond = pace }
        let paceNote = settings.eventStream.catchUpBytesPerSecond.map { "paced at \($0 >> 20) MiB/s" } ?? "unpaced"
        let service = ShiftlogService(engine: engine, settings: settings, credentials: credentials, logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: EngineService(engine: engine, logger: logger)),
                .init(service: service.application(onRunning: { portContinuation.yield($0) })),
            ],
            logger: logger))
        let server = Task { try await group.run() }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else { throw CancellationError() }

        let workers = try await EngineHeartbeats.registerWorkers(engine)
        let base = "http://127.0.0.1:\(port)"
        let paths = workers.map { "/w/" + credentials.credential(for: $0) + "/api/worker/\($0)/heartbeat" }
        let result: Result<(operations: Int, latencies: (p50: Double, p99: Double), seconds: Double), any Error>
        let streams = subscribers > 0 ? try EventStreamSubscribers.Apart.start(subscribers, url: base + "/api/events?after=0") : nil
        let cpuBefore = processCPUSeconds()
        do {
            switch client {
            case .inProcess:
                result = .success(try await inProcess(base: base, paths: paths, connections: connections, seconds: seconds))
            case .wrk:
                result = .success(try await Wrk.run(base: base, paths: paths, connections: connections, seconds: seconds))
            }
        } catch {
            result = .failure(error)
        }
        let cpu = processCPUSeconds() - cpuBefore
        let streamed = streams?.stop()
        await group.triggerGracefulShutdown()
        try await server.value
        let (operations, latencies, elapsed) = try result.get()
        // With wrk this process is the server alone; with the in-process client, server and client.
        let cpuPerRequest = cpu * 1e6 / Double(max(operations, 1))
        let catchingUp = streamed.map { String(format: "; %d streams from after=0 read %.0f MB meanwhile", subscribers, Double($0) / 1e6) } ?? ""
        let onLog = log == nil ? "" : ", on a log of \(engine.state.lastSequence) events"
        return Measurement(
            name: "HTTP heartbeats, \(connections) connection\(connections == 1 ? "" : "s"), \(client.rawValue)\(effects.label)"
                + (subscribers > 0 ? ", \(subscribers) streams catching up (\(paceNote))" : ""),
            operations: operations, seconds: elapsed, p50Microseconds: latencies.p50, p99Microseconds: latencies.p99,
            note: String(
                format: "POST /w/<credential>/api/worker/:id/heartbeat on 127.0.0.1; this process used %.2f cores, %.0f µs a request%@",
                cpu / elapsed, cpuPerRequest, client == .inProcess ? " (server and client)" : " (the server)") + onLog + catchingUp)
    }

    private static func inProcess(
        base: String, paths: [String], connections: Int, seconds: Double
    ) async throws -> (operations: Int, latencies: (p50: Double, p99: Double), seconds: Double) {
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let urls = paths.map { base + $0 }
        do {
            let (operations, latencies, elapsed) = try await closedLoops(callers: connections, seconds: seconds) { caller, n in
                var request = HTTPClientRequest(url: urls[caller % urls.count])
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: #"{"iteration":\#(n % 1_000_000),"status":"running","tokensIn":1200,"tokensOut":300}"#))
                let response = try await client.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 16)
                guard response.status == .ok else { throw BenchFailure("heartbeat answered \(response.status)") }
            }
            try await client.shutdown()
            return (operations, (latencies.p50, latencies.p99), elapsed)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// User and system CPU time this process has used, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
