import ShiftlogCore
public import ShiftlogEngine

/// `shiftlog serve`'s configuration, built from the resolved settings (``SettingValues``:
/// flags over the environment over the settings file over the defaults, every setting
/// declared once in `ShiftlogSettings`). The secrets in
/// `ShiftlogSettings/passedToWorkers` reach every worker and are never logged or recorded.
public struct ServeEnvironment: Sendable {
    /// The engine's configuration: the lifecycle rules, the worker image and environment, the
    /// start deadline, the URL workers call back.
    public var engine: EngineConfiguration
    /// How the HTTP service listens, and its loop's intervals.
    public var server: ServerSettings

    /// Reads the settings from `variables` alone (the environment's names); absent ones take
    /// their defaults.
    ///
    /// - Throws: ``ServeError`` naming the variable whose value is bad.
    public init(_ variables: [String: String]) throws(ServeError) {
        do {
            self.init(try SettingValues(environment: variables))
        } catch {
            throw ServeError(error.message)
        }
    }

    /// The configuration `values` give.
    public init(_ values: SettingValues) {
        typealias S = ShiftlogSettings
        var engine = EngineConfiguration()
        var server = ServerSettings()
        server.port = values[S.port]
        server.apiKey = values[S.apiKey]
        // Without a key the management routes are open: only this machine may reach them,
        // unless HOST says otherwise.
        server.host = values[S.host] ?? (server.apiKey == nil ? "127.0.0.1" : "0.0.0.0")
        server.loopInterval = .milliseconds(values[S.loopIntervalMilliseconds])
        server.leaderInterval = .milliseconds(values[S.leaderIntervalMilliseconds])
        server.requestHeaderTimeout = .seconds(values[S.requestHeaderTimeoutSeconds])
        server.requestBodyTimeout = .seconds(values[S.requestBodyTimeoutSeconds])
        server.idleTimeout = .seconds(values[S.idleTimeoutSeconds])
        server.maxConnections = values[S.maxConnections]
        let catchUp = values[S.eventStreamCatchUpMiBPerSecond]
        server.eventStream.catchUpBytesPerSecond = catchUp == 0 ? nil : catchUp << 20
        server.consoleSessionLifetime = .seconds(values[S.consoleSessionMinutes] * 60)
        let reconcile = values[S.reconcileIntervalSeconds]
        server.reconcileInterval = reconcile == 0 ? nil : .seconds(reconcile)
        values.applyRules(to: &engine.lifecycle)
        engine.startDeadlineSeconds = values[S.startDeadlineSeconds]
        engine.workerImage = values[S.workerImage]
        // The workers' `dev.shiftlog.instance` label: reconciliation lists the containers that
        // carry it and removes those no worker owns.
        engine.instanceName = values[S.containerLabel]
        engine.orchestratorURL = values[S.orchestratorURL] ?? "http://127.0.0.1:\(server.port)"
        for setting in S.passedToWorkers {
            if let value = values[setting] { engine.workerEnvironment[setting.name] = value }
        }
        // The loop reconciles on its own interval, so the engine does not run a second timer.
        engine.reconcileInterval = nil
        self.engine = engine
        self.server = server
    }

    /// Every setting's effective value and source, for `shiftlog serve --print-config`:
    /// secrets redacted, and a default that depends on other settings (`HOST`,
    /// `ORCHESTRATOR_URL`) shown as it works out.
    public func effectiveSettings(_ values: SettingValues) -> [(name: String, value: String, source: SettingSource)] {
        values.entries.map { entry in
            var shown = entry.setting.shownAny(entry.value)
            if entry.source == .default {
                switch entry.setting.name {
                case ShiftlogSettings.host.name: shown = server.host
                case ShiftlogSettings.orchestratorURL.name: shown = engine.orchestratorURL
                default: if shown.isEmpty { shown = entry.setting.defaultText }
                }
            }
            return (entry.setting.name, shown.isEmpty ? "(none)" : shown, entry.source)
        }
    }
}
