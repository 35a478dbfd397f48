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

            Every setting below is a flag, an environment variable, and a key of the settings \
            file (--config FILE, a JSON object of settings by name, e.g. {"MAX_WORKERS": 4}); \
            a flag wins over the environment, which wins over the file. Secrets (API_KEY, the \
            tokens passed to workers) come from the environment only and are never logged. A \
            bad value stops the start with one line naming it: exit 64 for a flag, 78 for the \
            environment or the file. --print-config prints every setting's effective value and \
            source (secrets redacted) and exits.

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
              shiftlog serve --config deploy/shiftlog.json --print-config
              curl -s localhost:3000/api/status

            """ + SettingsTable.help())

    enum RuntimeKind: String, ExpressibleByArgument, CaseIterable {
        case auto, docker, process
    }

    @Option(name: .long, help: "Folder for the LMDB log and the instance key (created if missing).")
    var path = "./shiftlog-data"

    @Flag(name: .long, help: "Run a short demo: queue four items for sample workers (local processes), print every event, stop when all have finished.")
    var demo = false

    @Option(name: .long, help: "Where workers run: docker, process, or auto (Docker when a daemon answers).")
    var runtime: RuntimeKind = .auto

    @Option(name: .long, help: ArgumentHelp("A settings file: a JSON object of settings by name.", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Print every setting's effective value and source (secrets redacted), then exit.")
    var printConfig = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Settings as flags, --NAME VALUE or --NAME=VALUE: see the list above.", valueName: "setting"))
    var settingArguments: [String] = []

    /// Every setting, from the flags, `environment` and the settings file.
    func settingValues(_ environment: [String: String]) throws -> SettingValues {
        do {
            let flags = try SettingArguments.parse(settingArguments, settings: ShiftlogSettings.all)
            let file = try config.map { path throws(SettingError) in try SettingsFile(contentsOf: path) }
            return try SettingValues(flags: flags, environment: environment, file: file)
        } catch {
            throw failure(for: error)
        }
    }

    func run() async throws {
        let values = try settingValues(ProcessInfo.processInfo.environment)
        var settings = ServeEnvironment(values)
        if printConfig {
            Self.printEffective(settings.effectiveSettings(values))
            return
        }
        if demo {
            DemoStory.configure(&settings.engine)
            settings.server.loopInterval = .milliseconds(200)
            settings.server.reconcileInterval = .seconds(5)
            if !values.isGiven(ShiftlogSettings.port) {
                settings.server.port = 0
                settings.server.host = "127.0.0.1"
            }
        }
        // Workers are given the URL before the server binds, so port 0 is resolved here: a
        // free port now, rather than one the workers could not be told.
        if settings.server.port == 0, !values.isGiven(ShiftlogSettings.orchestratorURL) {
            settings.server.port = try FreePort.pick()
            settings.engine.orchestratorURL = "http://127.0.0.1:\(settings.server.port)"
        }
        let logger = Self.bootstrapObservability(
            level: values.isGiven(ShiftlogSettings.logLevel) || !demo ? values[ShiftlogSettings.logLevel] : "warning")
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
        let listening = Self.listeningNote(settings.server, hostSet: values.isGiven(ShiftlogSettings.host))
        let store = values[ShiftlogSettings.store]
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
            let workers = try await workerRuntime(
                &configuration, command: values[ShiftlogSettings.workerCommand], logger: logger, demo: demo)
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
            let consoleHost = ["0.0.0.0", "::", ""].contains(settings.server.host) ? "127.0.0.1" : settings.server.host
            let story = DemoStory(engine: engine, path: path, console: "http://\(consoleHost):\(settings.server.port)/")
            try await service.run(also: demo ? [story] : []) { port in
                logger.info(
                    "shiftlog serve is listening",
                    metadata: ["port": "\(port)", "path": "\(path)", "runtime": "\(workers.name)"])
                // One plain line on standard output, for people and for scripts waiting on the port.
                FileHandle.standardOutput.write(
                    Data("shiftlog serve: listening on port \(port), \(listening), log in \(path), workers on \(workers.name)\n".utf8))
                FileHandle.standardOutput.write(Data("shiftlog serve: the console is at http://\(consoleHost):\(port)/\n".utf8))
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
    private func workerRuntime(
        _ configuration: inout EngineConfiguration, command: String?, logger: Logger, demo: Bool
    ) async throws -> (runtime: any ContainerRuntime, name: String) {
        // The demo's sample workers are this executable, so they run as local processes.
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

    /// Every setting's value and source, one a line in aligned columns.
    static func printEffective(_ settings: [(name: String, value: String, source: SettingSource)]) {
        let nameWidth = settings.map(\.name.count).max() ?? 0
        let valueWidth = settings.map(\.value.count).max() ?? 0
        let output = Output()
        for setting in settings {
            let name = setting.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let value = setting.value.padding(toLength: valueWidth, withPad: " ", startingAt: 0)
            output.line("\(name)  \(value)  \(setting.source)")
        }
        output.flush()
    }

    /// swift-log to standard error at `level` (`LOG_LEVEL`) and swift-metrics into the
    /// Prometheus registry `/metrics` shows.
    static func bootstrapObservability(level: String) -> Logger {
        let level = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return Logger(label: "shiftlog")
    }
}
