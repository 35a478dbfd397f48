import Foundation
import ShiftlogCore
public import ShiftlogEngine

/// `shiftlog serve`'s settings, read from variables with the reference's names (`PORT`,
/// `MAX_WORKERS`, `DAILY_BUDGET`, `COOLDOWN_SECONDS`, `STALE_THRESHOLD`,
/// `VERIFICATION_MAX_RETRIES`, `WORKER_IMAGE`, `ORCHESTRATOR_URL`, `API_KEY`,
/// `LOOP_INTERVAL_MS`) plus Shiftlog's own (`HOST`, `RECONCILE_INTERVAL_SECONDS`,
/// `START_DEADLINE_SECONDS`, `CANCEL_GRACE_SECONDS`, `END_GRACE_SECONDS`, `MAX_ITERATIONS_DEFAULT`, `RETRY_BACKOFF_SECONDS`,
/// `LEADER_INTERVAL_MS`, `CONTAINER_LABEL`, `REQUEST_HEADER_TIMEOUT_SECONDS`,
/// `REQUEST_BODY_TIMEOUT_SECONDS`, `IDLE_TIMEOUT_SECONDS`, `MAX_CONNECTIONS`). The command line's flags are folded
/// in under the same names first, so a flag beats the environment.
///
/// A value that does not parse or is out of range stops the start with a ``ServeError``
/// naming the variable. The tool keys in ``passedThrough`` reach every worker and are never
/// logged or recorded.
public struct ServeEnvironment: Sendable {
    /// The engine's configuration: the lifecycle rules, the worker image and environment, the
    /// start deadline, the URL workers call back.
    public var engine: EngineConfiguration
    /// How the HTTP service listens, and its loop's intervals.
    public var server: ServerSettings

    /// Variables handed to every worker as they are (whim passes `GITHUB_TOKEN` and
    /// `ANTHROPIC_API_KEY`).
    public static let passedThrough = ["GITHUB_TOKEN", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY"]

    /// Reads `variables`; absent ones take whim's defaults.
    public init(_ variables: [String: String]) throws(ServeError) {
        var engine = EngineConfiguration()
        var server = ServerSettings()
        let read = Reader(variables: variables)
        server.port = try read.integer("PORT", in: 0...65_535) ?? 3_000
        server.apiKey = try read.string("API_KEY")
        // Without a key the management routes are open: only this machine may reach them,
        // unless HOST says otherwise.
        server.host = try read.string("HOST") ?? (server.apiKey == nil ? "127.0.0.1" : "0.0.0.0")
        server.loopInterval = .milliseconds(try read.integer("LOOP_INTERVAL_MS", in: 10...3_600_000) ?? 5_000)
        server.leaderInterval = .milliseconds(try read.integer("LEADER_INTERVAL_MS", in: 50...60_000) ?? 1_000)
        server.requestHeaderTimeout = .seconds(try read.integer("REQUEST_HEADER_TIMEOUT_SECONDS", in: 1...3_600) ?? 10)
        server.requestBodyTimeout = .seconds(try read.integer("REQUEST_BODY_TIMEOUT_SECONDS", in: 1...3_600) ?? 30)
        server.idleTimeout = .seconds(try read.integer("IDLE_TIMEOUT_SECONDS", in: 1...86_400) ?? 60)
        server.maxConnections = try read.integer("MAX_CONNECTIONS", in: 1...1_000_000) ?? 1_024
        if let seconds = try read.integer("RECONCILE_INTERVAL_SECONDS", in: 0...86_400) {
            server.reconcileInterval = seconds == 0 ? nil : .seconds(seconds)
        }
        engine.lifecycle.maxWorkers = try read.integer("MAX_WORKERS", in: 1...10_000) ?? 2
        engine.lifecycle.dailyBudget = try read.integer("DAILY_BUDGET", in: 1...100_000_000) ?? 200
        engine.lifecycle.cooldownSeconds = Int64(try read.integer("COOLDOWN_SECONDS", in: 0...86_400) ?? 60)
        engine.lifecycle.staleThresholdSeconds = Int64(try read.integer("STALE_THRESHOLD", in: 1...604_800) ?? 300)
        engine.lifecycle.verificationMaxRetries = try read.integer("VERIFICATION_MAX_RETRIES", in: 0...1_000) ?? 3
        // whim waits 1, 5 and 30 minutes before retries 1, 2 and 3 (Shiftlog: 60,300,1800).
        if let backoff = try read.integers("RETRY_BACKOFF_SECONDS", in: 0...86_400, count: 1...16) {
            engine.lifecycle.retryBackoffSeconds = backoff.map(Int64.init)
        }
        // whim's HTTP service gives new items 50 iterations unless told otherwise.
        engine.lifecycle.defaultMaxIterations = try read.integer("MAX_ITERATIONS_DEFAULT", in: 1...200) ?? 50
        engine.startDeadlineSeconds = Int64(try read.integer("START_DEADLINE_SECONDS", in: 1...86_400) ?? 120)
        engine.lifecycle.cancelGraceSeconds = Int64(try read.integer("CANCEL_GRACE_SECONDS", in: 0...86_400) ?? 30)
        engine.lifecycle.endGraceSeconds = Int64(try read.integer("END_GRACE_SECONDS", in: 0...86_400) ?? 30)
        engine.workerImage = try read.string("WORKER_IMAGE") ?? "whim-worker:latest"
        // The workers' `dev.shiftlog.instance` label: reconciliation lists the containers that
        // carry it and removes those no worker owns, so every instance of one log must share it
        // and two deployments on one Docker daemon must not. Changed while workers run, their
        // containers (under the old label) are not found: they are recorded lost.
        if let label = try read.string("CONTAINER_LABEL") {
            guard label.utf8.count <= 128, label.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }) else {
                throw ServeError("CONTAINER_LABEL \(quoted(label)) must be 1 to 128 letters, digits, '.', '_' or '-'")
            }
            engine.instanceName = label
        }
        let url = try read.string("ORCHESTRATOR_URL") ?? "http://127.0.0.1:\(server.port)"
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw ServeError("ORCHESTRATOR_URL '\(url)' must be an http:// or https:// URL with a host")
        }
        engine.orchestratorURL = url
        for name in Self.passedThrough {
            if let value = variables[name], !value.isEmpty { engine.workerEnvironment[name] = value }
        }
        // The loop reconciles on its own interval, so the engine does not run a second timer.
        engine.reconcileInterval = nil
        self.engine = engine
        self.server = server
    }

    private struct Reader {
        let variables: [String: String]

        func string(_ name: String) throws(ServeError) -> String? {
            guard let value = variables[name] else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            return trimmed
        }

        func integer(_ name: String, in range: ClosedRange<Int>) throws(ServeError) -> Int? {
            guard let text = try string(name) else { return nil }
            guard let value = Int(text) else { throw ServeError("\(name) \(quoted(text)) is not a whole number") }
            guard range.contains(value) else {
                throw ServeError("\(name) \(value) is out of range: use \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }

        /// A comma-separated list of whole numbers, each in `range`.
        func integers(_ name: String, in range: ClosedRange<Int>, count: ClosedRange<Int>) throws(ServeError) -> [Int]? {
            guard let text = try string(name) else { return nil }
            let words = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard count.contains(words.count) else {
                throw ServeError("\(name) \(quoted(text)) must list \(count.lowerBound) to \(count.upperBound) numbers, separated by commas")
            }
            var values: [Int] = []
            for word in words {
                guard let value = Int(word) else { throw ServeError("\(name) \(quoted(text)): \(quoted(word)) is not a whole number") }
                guard range.contains(value) else {
                    throw ServeError("\(name) \(value) is out of range: use \(range.lowerBound) to \(range.upperBound)")
                }
                values.append(value)
            }
            return values
        }
    }
}
