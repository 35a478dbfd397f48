public import Hummingbird
public import Logging
public import Metrics
public import Prometheus
public import ServiceLifecycle
import UnixSignals
public import ShiftlogEngine

/// `shiftlog serve` as services: the engine (closed last), the orchestrator loop and the HTTP
/// server, in one swift-service-lifecycle `ServiceGroup`. SIGTERM or SIGINT stops them in
/// reverse order: the server stops accepting and finishes its requests, the loop stops, the
/// engine answers every submitted command and closes the log. A service that fails brings the
/// group down, loudly, instead of dying alone.
public struct ShiftlogService {
    /// The open engine the routes and the loop drive; the service closes it at shutdown.
    public let engine: Engine
    /// How the server listens and how often the loop runs.
    public let settings: ServerSettings
    /// How worker credentials are made and checked.
    public let credentials: WorkerCredentials
    let router: Router<ShiftlogRequestContext>
    let logger: Logger

    /// Gives each worker a URL with its own credential. Call on the configuration before
    /// `Engine.open`, so the container handler hands it out.
    public static func configureWorkerURLs(_ configuration: inout EngineConfiguration, credentials: WorkerCredentials) {
        let base = configuration.orchestratorURL
        configuration.environmentOfWorker = { workerId in
            ["ORCHESTRATOR_URL": credentials.orchestratorURL(base: base, for: workerId)]
        }
    }

    /// A service on `engine`: `specWriter` writes specs for items added with a description only,
    /// `prometheus` (if given) is what the management route `/metrics` serves, and `metrics`
    /// makes the event stream's metrics.
    public init(
        engine: Engine, settings: ServerSettings, credentials: WorkerCredentials,
        specWriter: any SpecWriter = DescriptionAsSpec(), prometheus: PrometheusCollectorRegistry? = nil,
        metrics: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        self.engine = engine
        self.settings = settings
        self.credentials = credentials
        self.logger = logger
        router = ShiftlogHTTPServer.router(
            engine: engine, settings: settings, credentials: credentials, specWriter: specWriter,
            prometheus: prometheus, metrics: metrics, logger: logger)
    }

    /// The HTTP server alone; `onRunning` gets the port it listens on (useful with port 0).
    /// Every connection is held to the settings' timeouts and connection limit (see
    /// ``ServerSettings``).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let port = settings.port
        return Application(
            router: router,
            server: .guardedHTTP1(settings: settings, maxBodyBytes: RequestBody.maxBytes),
            // A burst of up to MAX_CONNECTIONS connections waits in the kernel's accept queue
            // (capped by net.core.somaxconn) instead of having its SYNs dropped: with Hummingbird's
            // 256, 500 connections opened at once on a loaded machine left a new client's connect
            // to time out while the server caught up (issue 22, `ServeEdgeTests`).
            configuration: .init(
                address: .hostname(settings.host, port: settings.port), serverName: "shiftlog", backlog: settings.maxConnections),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// The loop as a service.
    public var loop: OrchestratorLoop {
        OrchestratorLoop(
            engine: engine, interval: settings.loopInterval, reconcileInterval: settings.reconcileInterval, logger: logger)
    }

    /// Runs everything until SIGTERM or SIGINT (or until a service fails). A service in
    /// `also` runs beside the others; when it returns, the group shuts down gracefully.
    public func run(
        also: [any Service] = [], onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: EngineService(engine: engine, logger: logger)),
                    .init(service: loop),
                    .init(service: application(onRunning: onRunning)),
                ] + also.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
