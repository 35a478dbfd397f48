public import Hummingbird
import Logging
public import Metrics
public import Prometheus
import ShiftlogConsole
import ShiftlogCore
public import ShiftlogEngine

/// The HTTP face of an `Engine`: whim's routes, mounted twice, at `/api` and at
/// `/w/<credential>/api` (the URL each worker is given), plus `/health`, `/metrics`, and the
/// console's pages at `/` (`ShiftlogConsole`).
public enum ShiftlogHTTPServer {
    /// The router with every route and middleware; `metrics` makes the event stream's
    /// metrics (the other routes use the bootstrapped system's).
    public static func router(
        engine: Engine, settings: ServerSettings, credentials: WorkerCredentials,
        specWriter: any SpecWriter = DescriptionAsSpec(), prometheus: PrometheusCollectorRegistry? = nil,
        metrics: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) -> Router<ShiftlogRequestContext> {
        let router = Router(context: ShiftlogRequestContext.self, options: .caseInsensitive)
        let knownPaths = KnownPaths()
        router.add(middleware: ErrorMiddleware(knownPaths: knownPaths))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: BodyLimitMiddleware())
        let refusals = RefusalRecorder(engine: engine, logger: logger)
        let work = WorkRoutes(engine: engine, specWriter: specWriter)
        let operators = OperatorRoutes(engine: engine, costPerMillionTokens: settings.costPerMillionTokens)
        let console = Console(
            source: EngineConsoleSource(engine: engine), actions: ServiceConsoleActions(work: work, operators: operators),
            access: ConsoleAccess(
                apiKey: settings.apiKey, sessionLifetime: settings.consoleSessionLifetime,
                recordRefusal: { route, reason in
                    await refusals.record(AccessRefused(route: route, targetWorkerId: nil, presentedWorkerId: nil, reason: reason))
                }),
            logger: logger)
        console.add(to: router)
        let policy = AccessPolicy(apiKey: settings.apiKey, credentials: credentials, consoleSessions: console.sessions)
        func access(_ kind: AccessMiddleware.Kind) -> AccessMiddleware {
            AccessMiddleware(kind: kind, policy: policy, refusals: refusals)
        }

        router.get("health") { _, _ in
            let health = Health(engine: engine)
            return JSONResponse(health, status: health.storeFailing ? .serviceUnavailable : .ok)
        }
        router.get("openapi.json") { _, _ in JSONResponse<Success>.response(status: .ok, bytes: APIDocument.encoded) }
        if let prometheus {
            router.group("metrics").add(middleware: access(.management)).get { _, _ in
                PrometheusExposition(registry: prometheus, engine: engine)
            }
        }

        let worker = WorkerRoutes(engine: engine, repeats: RepeatedRequests(), refusals: refusals)
        let learnings = LearningRoutes(engine: engine)
        let events = EventStreamRoutes(
            engine: engine, settings: settings.eventStream, metrics: EventStreamMetrics(factory: metrics),
            reader: EventBatchReader(
                threads: settings.eventStream.readerThreads, bytesPerSecond: settings.eventStream.catchUpBytesPerSecond))
        for prefix in apiMounts {
            let api = router.group(RouterPath(prefix))
            api.group("worker/register").add(middleware: access(.register)).post { request, context in
                try await worker.register(request, context)
            }
            worker.add(to: api.group("worker").add(middleware: access(.worker)))
            api.group("learnings").add(middleware: access(.learnings)).get { request, _ in try learnings.learnings(request) }
            let management = api.group().add(middleware: access(.management))
            work.add(to: management.group("work"))
            operators.add(to: management)
            events.add(to: management)
        }
        knownPaths.learn(router.routes)
        return router
    }

    /// Where the API's routes are mounted: at `/api`, and at `/w/<credential>/api`, the URL
    /// each worker is given.
    static let apiMounts = ["api", "w/{credential}/api"]

    /// `/health`: 200 while the store takes writes, with `status` `ok`, or `degraded` while an
    /// effect handler fails or has stopped (the handlers are listed, with the error); 503 with
    /// `status` `degraded` while the store refuses writes (a full disk, a read-only file
    /// system), since every write would answer 503 too. `store` says which (`writable`, or
    /// `failing since <time>: <error>`).
    struct Health: Encodable, Sendable {
        var status: String
        var store: String
        var lastSequence: UInt64
        var effects: [EffectView]

        init(engine: Engine) {
            let handlers = engine.handlerStatuses
            let failure = engine.storeWriteFailure
            status = failure != nil || handlers.contains(where: \.isDegraded) ? "degraded" : "ok"
            store = failure.map { "failing since \($0.since): \($0.message)" } ?? "writable"
            lastSequence = engine.state.lastSequence
            effects = handlers.map(EffectView.init)
        }

        var storeFailing: Bool { store != "writable" }
    }
}
