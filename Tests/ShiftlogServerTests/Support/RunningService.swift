import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// A `shiftlog serve` in the test process, on a real LMDB log in a temporary folder and a
/// real socket on 127.0.0.1 (port chosen by the system), with a manual clock, sequential ids,
/// a fixed instance key and the in-memory container runtime. The loop does not run unless a
/// test asks for a pass, so what happens is exactly what the test sends.
final class RunningService: Sendable {
    let folder: String
    let engine: Engine
    let clock: ManualTimeSource
    let runtime: InMemoryContainerRuntime
    let credentials: WorkerCredentials
    let port: Int
    let apiKey: String?
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    static let start = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    /// Starts a service; `configure` adjusts the engine's rules first, `server` the HTTP
    /// settings; `metrics` receives the event stream's metrics.
    static func start(
        apiKey: String? = nil, folder: String? = nil, runtime: InMemoryContainerRuntime? = nil,
        ids: (any IDSource)? = nil, metrics: (any MetricsFactory)? = nil, storeOptions: LMDBEventLog.Options = .init(),
        server: (inout ServerSettings) -> Void = { _ in }, configure: (inout EngineConfiguration) -> Void = { _ in }
    ) async throws -> RunningService {
        let folder = folder ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("shiftlog-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let credentials = WorkerCredentials(key: InstanceKey(bytes: Array(repeating: 7, count: 32)))
        var configuration = EngineConfiguration()
        configuration.reconcileInterval = nil
        configuration.lifecycle.cooldownSeconds = 0
        configuration.instanceName = "shiftlog-test"
        configure(&configuration)
        ShiftlogService.configureWorkerURLs(&configuration, credentials: credentials)
        let clock = ManualTimeSource(start)
        let runtime = runtime ?? InMemoryContainerRuntime()
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let engine = try Engine.open(
            path: folder, runtime: runtime, configuration: configuration, clock: clock, ids: ids ?? SequentialIDs(),
            logger: logger, storeOptions: storeOptions)
        var settings = ServerSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.apiKey = apiKey
        server(&settings)
        let service = ShiftlogService(
            engine: engine, settings: settings, credentials: credentials, metrics: metrics ?? NOOPMetricsHandler.instance,
            logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: EngineService(engine: engine, logger: logger)),
                    .init(service: service.application(onRunning: { portContinuation.yield($0) })),
                ],
                logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return RunningService(
            folder: folder, engine: engine, clock: clock, runtime: runtime, credentials: credentials, port: port,
            apiKey: apiKey, group: group, task: task)
    }

    private init(
        folder: String, engine: Engine, clock: ManualTimeSource, runtime: InMemoryContainerRuntime,
        credentials: WorkerCredentials, port: Int, apiKey: String?, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.folder = folder
        self.engine = engine
        self.clock = clock
        self.runtime = runtime
        self.credentials = credentials
        self.port = port
        self.apiKey = apiKey
        self.group = group
        self.task = task
    }

    /// Stops the server and closes the engine (graceful shutdown), then removes the folder
    /// unless told to keep it.
    func stop(keepingFolder: Bool = false) async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        if !keepingFolder { try? FileManager.default.removeItem(atPath: folder) }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The URL worker `id` is given (its credential as a path prefix).
    func workerURL(_ id: WorkerID) -> String { credentials.orchestratorURL(base: baseURL, for: id) }

    struct Answer: Sendable {
        var status: Int
        var body: String
        var headers: HTTPHeaders
    }

    /// Sends one request over the socket.
    func send(
        _ method: HTTPMethod, _ path: String, body: String? = nil, headers: [(String, String)] = [], base: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: (base ?? baseURL) + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: bytes), headers: response.headers)
    }

    /// Adds an item and spawns a worker for it through the engine; returns the worker's id.
    func spawnWorker(spec: String = "Fix the login form") async throws -> (item: WorkItemID, worker: WorkerID) {
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: spec))
        let worker = try await engine.spawn(workItemId: item.id)
        try await engine.settle()
        return (item.id, worker.id)
    }
}
