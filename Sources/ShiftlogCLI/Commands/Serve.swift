import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ShiftlogCore
import ShiftlogEngine
import ShiftlogPostgres
import ShiftlogStore
import ShiftlogRuntimes
import ShiftlogServer

/// `shiftlog serve`: the orchestrator service whim's workers talk to.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the orchestrator service: whim's HTTP API, the loop, and the workers.",
        discussion: """
            Serves whim's routes (workers: /api/worker/...; management: /api/work, /api/status, \
            /api/workers, /api/queue, /api/metrics, /api/learnings, /api/reviews; /health; \
            Prometheus /metrics) on an LMDB log in --path, runs the orchestrator loop (expire \
            starts, kill stale workers, reconcile, spawn while there is capacity), and starts \
            workers in Docker or as local processes.

            Every setting is a flag or an environment variable of the same name (the flag wins): \
            PORT (3000), HOST (127.0.0.1 without API_KEY, else 0.0.0.0), MAX_WORKERS (2), DAILY_BUDGET (200), COOLDOWN_SECONDS \
            (60), STALE_THRESHOLD (300 s), VERIFICATION_MAX_RETRIES (3), WORKER_IMAGE, \
            ORCHESTRATOR_URL (the URL workers are given; default http://127.0.0.1:PORT), \
            LOOP_INTERVAL_MS (5000), RECONCILE_INTERVAL_SECONDS (60), START_DEADLINE_SECONDS (120), \
            MAX_ITERATIONS_DEFAULT (50), RETRY_BACKOFF_SECONDS (60,300,1800: the waits before \
            retries 1, 2, 3…), LEADER_INTERVAL_MS (1000: with several instances on one \
            PostgreSQL log, how soon a dead leader is replaced), REQUEST_HEADER_TIMEOUT_SECONDS (10), \
            REQUEST_BODY_TIMEOUT_SECONDS (30), IDLE_TIMEOUT_SECONDS (60: a kept-alive connection \
            with no request), MAX_CONNECTIONS (1024: one more is answered 503), CONTAINER_LABEL (shiftlog: the \
            workers' dev.shiftlog.instance label; reconciliation removes the containers with it \
            that no worker owns, so instances on one log share it and deployments sharing a \
            Docker daemon must not; change it only while no worker is active, or reconciliation \
            records the running ones lost), DOCKER_HOST. PORT 0 picks a free port (workers are given it). \
            API_KEY (environment only, never a flag) makes management routes need X-API-Key or \
            Authorization: Bearer. GITHUB_TOKEN, ANTHROPIC_API_KEY, OPENAI_API_KEY and \
            GEMINI_API_KEY are passed to workers and never logged. A bad value stops the start, \
            naming the variable.

            Each worker is given ORCHESTRATOR_URL with its own credential as a path prefix \
            (<url>/w/<credential>), derived from <path>/instance.key (created on first start, \
            mode 0600, never in the log): a worker can act only for itself.

            SIGTERM or Ctrl-C stops accepting requests, finishes those in flight, stops the loop, \
            answers every submitted command and closes the log. Worker containers keep running; \
            the next start adopts them.

            --demo plays a short story on this machine: four items whose sample workers \
            (`shiftlog worker`, as local processes) heartbeat, lock files, fail and are retried, go \
            silent and are killed, complete and are verified; every event is printed as it is \
            committed, and the service stops once all have finished.

            Examples:
              shiftlog serve --demo --path ./shiftlog-data
              shiftlog serve --path ./shiftlog-data
              API_KEY=secret MAX_WORKERS=4 shiftlog serve --path /var/lib/shiftlog --runtime docker
              curl -s localhost:3000/api/status
            """)

    enum RuntimeKind: String, ExpressibleByArgument, CaseIterable {
        case auto, docker, process
    }

    @Option(name: .long, help: "Folder for the LMDB log and the instance key (created if missing).")
    var path = "./shiftlog-data"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "SHIFTLOG_STORE: where the log is, when not in --path: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME].",
            discussion: "A PostgreSQL log is shared by every instance started with the same URL; --path still holds the instance key, which every instance needs a copy of."))
    var store: String?

    @Flag(name: .long, help: "Run a short demo: queue four items for sample workers (local processes), print every event, stop when all have finished.")
    var demo = false

    @Option(name: .long, help: "Where workers run: docker, process, or auto (Docker when a daemon answers).")
    var runtime: RuntimeKind = .auto

    @Option(name: .long, help: "WORKER_COMMAND: a shell command each worker runs (`sh -c`) instead of its image's own; for processes the default is `shiftlog worker`.")
    var workerCommand: String?

    @Option(name: .long, help: "PORT: where to listen (0 picks a free port).") var port: Int?
    @Option(name: .long, help: "HOST: the address to listen on.") var host: String?
    @Option(name: .long, help: "MAX_WORKERS: active workers at most.") var maxWorkers: Int?
    @Option(name: .long, help: "DAILY_BUDGET: iterations a UTC day.") var dailyBudget: Int?
    @Option(name: .long, help: "COOLDOWN_SECONDS: between two spawns.") var cooldownSeconds: Int?
    @Option(name: .long, help: "STALE_THRESHOLD: seconds without a heartbeat before a worker is killed.") var staleThreshold: Int?
    @Option(name: .long, help: "VERIFICATION_MAX_RETRIES: retries of a verification item.") var verificationMaxRetries: Int?
    @Option(name: .long, help: "WORKER_IMAGE: the worker container image.") var workerImage: String?
    @Option(name: .long, help: "ORCHESTRATOR_URL: the URL workers are given.") var orchestratorUrl: String?
    @Option(name: .long, help: "LOOP_INTERVAL_MS: how often the loop runs.") var loopIntervalMs: Int?
    @Option(name: .long, help: "LEADER_INTERVAL_MS: on a shared PostgreSQL log, how often instances try to lead and the leader checks its session.")
    var leaderIntervalMs: Int?
    @Option(name: .long, help: "REQUEST_HEADER_TIMEOUT_SECONDS: how long a request's headers may take to arrive.")
    var requestHeaderTimeoutSeconds: Int?
    @Option(name: .long, help: "REQUEST_BODY_TIMEOUT_SECONDS: how long a request's body may take to arrive.")
    var requestBodyTimeoutSeconds: Int?
    @Option(name: .long, help: "IDLE_TIMEOUT_SECONDS: how long a kept-alive connection may wait for its next request.")
    var idleTimeoutSeconds: Int?
    @Option(name: .long, help: "MAX_CONNECTIONS: connections open at once; one more is answered 503.")
    var maxConnections: Int?

    /// The environment with the flags folded in under the variables' names.
    func variables(_ environment: [String: String]) -> [String: String] {
        var variables = environment
        let flags: [(String, String?)] = [
            ("PORT", port.map(String.init)), ("HOST", host), ("MAX_WORKERS", maxWorkers.map(String.init)),
            ("DAILY_BUDGET", dailyBudget.map(String.init)), ("COOLDOWN_SECONDS", cooldownSeconds.map(String.init)),
            ("STALE_THRESHOLD", staleThreshold.map(String.init)),
            ("VERIFICATION_MAX_RETRIES", verificationMaxRetries.map(String.init)), ("WORKER_IMAGE", workerImage),
            ("ORCHESTRATOR_URL", orchestratorUrl), ("LOOP_INTERVAL_MS", loopIntervalMs.map(String.init)),
            ("LEADER_INTERVAL_MS", leaderIntervalMs.map(String.init)),
            ("REQUEST_HEADER_TIMEOUT_SECONDS", requestHeaderTimeoutSeconds.map(String.init)),
            ("REQUEST_BODY_TIMEOUT_SECONDS", requestBodyTimeoutSeconds.map(String.init)),
            ("IDLE_TIMEOUT_SECONDS", idleTimeoutSeconds.map(String.init)),
            ("MAX_CONNECTIONS", maxConnections.map(String.init)),
        ]
        for (name, value) in flags { if let value { variables[name] = value } }
        return variables
    }

    func run() async throws {
        let variables = variables(ProcessInfo.processInfo.environment)
        var settings: ServeEnvironment
        do {
            settings = try ServeEnvironment(variables)
        } catch {
            throw fail(error.message, status: ExitStatus.configuration)
        }
        if demo {
            DemoStory.configure(&settings.engine)
            settings.server.loopInterval = .milliseconds(200)
            settings.server.reconcileInterval = .seconds(5)
            if variables["PORT"] == nil {
                settings.server.port = 0
                settings.server.host = "127.0.0.1"
            }
        }
        // Workers are given the URL before the server binds, so port 0 is resolved here: a
        // free port now, rather than one the workers could not be told.
        if settings.server.port == 0, variables["ORCHESTRATOR_URL"] == nil {
            settings.server.port = try FreePort.pick()
            settings.engine.orchestratorURL = "http://127.0.0.1:\(settings.server.port)"
        }
        let logger = Self.bootstrapObservability(quiet: demo)
        // Before anything is created: a port in use is one line and exit 69.
        do {
            try ListeningPort.check(host: settings.server.host, port: settings.server.port)
        } catch {
            throw fail(error.message, status: ExitStatus.unavailable)
        }
        let fileLimit = OpenFileLimit.raiseToHardLimit()
        if let fileLimit, fileLimit < settings.server.maxConnections + 64 {
            logger.warning(
                "the open-file limit is lower than MAX_CONNECTIONS needs; connections past it will fail",
                metadata: ["limit": "\(fileLimit)", "maxConnections": "\(settings.server.maxConnections)"])
        }
        let listening = Self.listeningNote(settings.server, hostSet: variables["HOST"].map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false)
        let store = self.store ?? ProcessInfo.processInfo.environment["SHIFTLOG_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        try await reporting {
            // A damaged or foreign log folder is refused before anything is created beside it
            // (the instance key, the workers' folder): the open's own checks, made read-only.
            if !(store.map(PostgresLocation.isURL) ?? false) {
                let folder = store ?? path
                if FileManager.default.fileExists(atPath: folder + "/data.mdb") {
                    defer { MemoryFaultReport.stop() }
                    (try StoreLocation.folder(folder).openReadOnly() as? LMDBEventLog)?.close()
                }
            }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let credentials = WorkerCredentials(key: try InstanceKey.loadOrCreate(in: path))
            var configuration = settings.engine
            let workers = try await workerRuntime(&configuration, logger: logger, demo: demo)
            ShiftlogService.configureWorkerURLs(&configuration, credentials: credentials)
            let engine: Engine
            if let store, PostgresLocation.isURL(store) {
                engine = try Engine.open(
                    store: PostgresEventLog(
                        url: store, options: .init(election: .init(interval: settings.server.leaderInterval)), logger: logger),
                    runtime: workers.runtime,
                    configuration: configuration, logger: logger)
            } else {
                // A damaged log is refused at open (the store's cross-checks); damage they do not
                // see, met while folding, is one line and exit 65 rather than a signal. The
                // fault watch ends with the open (a fault later is not the file's); LMDB's
                // assertions are the file's whenever they fail.
                let folder = store ?? path
                LMDBAssertionReport.install()
                MemoryFaultReport.watch(folder: folder)
                defer { MemoryFaultReport.stop() }
                engine = try Engine.open(path: folder, runtime: workers.runtime, configuration: configuration, logger: logger)
            }
            let service = ShiftlogService(
                engine: engine, settings: settings.server, credentials: credentials, prometheus: Self.registry,
                logger: logger)
            let path = engine.log.location
            try await service.run(also: demo ? [DemoStory(engine: engine, path: path)] : []) { port in
                logger.info(
                    "shiftlog serve is listening",
                    metadata: ["port": "\(port)", "path": "\(path)", "runtime": "\(workers.name)"])
                // One plain line on standard output, for people and for scripts waiting on the port.
                FileHandle.standardOutput.write(
                    Data("shiftlog serve: listening on port \(port), \(listening), log in \(path), workers on \(workers.name)\n".utf8))
            }
        }
    }

    /// Where the service listens, for the start line, with a word on who can reach it: without
    /// `API_KEY` the default is this machine only; a `HOST` open to the network without one is
    /// said to be.
    static func listeningNote(_ server: ServerSettings, hostSet: Bool) -> String {
        switch (server.apiKey, hostSet) {
        case (nil, false): "address \(server.host) (this machine only, as there is no API_KEY; HOST opens it)"
        case (nil, true) where !["127.0.0.1", "::1", "localhost"].contains(server.host):
            "address \(server.host) (open to the network, and with no API_KEY so are the management routes)"
        default: "address \(server.host)"
        }
    }

    /// Docker when asked or when a daemon answers (auto), else local processes running the
    /// worker command.
    private func workerRuntime(_ configuration: inout EngineConfiguration, logger: Logger, demo: Bool) async throws
        -> (runtime: any ContainerRuntime, name: String)
    {
        // The demo's sample workers are this executable, so they run as local processes.
        let command = workerCommand ?? ProcessInfo.processInfo.environment["WORKER_COMMAND"].flatMap { $0.isEmpty ? nil : $0 }
        if runtime != .process, !demo {
            do {
                let docker = try await DockerRuntime.connect(timeout: .seconds(runtime == .auto ? 3 : 30))
                if let command { configuration.workerCommand = ["sh", "-c", command] }
                return (docker, "docker")
            } catch where runtime == .auto {
                logger.notice("no Docker daemon answered; workers run as local processes", metadata: ["error": "\(error)"])
            }
        }
        configuration.workerCommand = command.map { ["sh", "-c", $0] } ?? [Self.executablePath, "worker"]
        return (try ProcessRuntime(directory: path + "/workers"), "local processes")
    }

    /// This executable, for the default worker command.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    nonisolated(unsafe) static var registry = PrometheusCollectorRegistry()

    /// swift-log to standard error (level from LOG_LEVEL, default info) and swift-metrics into
    /// the Prometheus registry `/metrics` shows.
    static func bootstrapObservability(quiet: Bool = false) -> Logger {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? (quiet ? .warning : .info)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return Logger(label: "shiftlog")
    }
}
