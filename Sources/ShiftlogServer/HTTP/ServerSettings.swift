import ShiftlogCore

/// How the HTTP service listens and what it tells workers. The lifecycle rules and the
/// worker image live in the engine's configuration. Each field's default is its setting's
/// (`ShiftlogSettings`).
public struct ServerSettings: Sendable {
    /// Address to listen on (`HOST`). `shiftlog serve`'s default is `0.0.0.0` (so containers
    /// can call back) when `API_KEY` is set, and `127.0.0.1` without one, since the management
    /// routes are then open to whoever reaches the port.
    public var host = "0.0.0.0"
    /// `PORT` (whim: 3000). 0 picks a free port.
    public var port = ShiftlogSettings.port.defaultValue
    /// `API_KEY`: when set, management routes need it.
    public var apiKey: String?
    /// How often the orchestrator loop runs (`LOOP_INTERVAL_MS`, whim: 5000).
    public var loopInterval: Duration = .milliseconds(ShiftlogSettings.loopIntervalMilliseconds.defaultValue)
    /// How often the loop reconciles with the runtime (and once at its first pass); `nil`: never.
    public var reconcileInterval: Duration? = .seconds(ShiftlogSettings.reconcileIntervalSeconds.defaultValue)
    /// Dollars per million input and output tokens, for `/api/metrics`' cost estimate.
    public var costPerMillionTokens: (input: Double, output: Double) = (3, 15)
    /// How long a console sign-in lasts (`CONSOLE_SESSION_MINUTES`, default 12 hours).
    public var consoleSessionLifetime: Duration = .seconds(ShiftlogSettings.consoleSessionMinutes.defaultValue * 60)
    /// Pacing and bounds of `GET /api/events`.
    public var eventStream = EventStreamSettings()
    /// On a shared PostgreSQL log, how often an instance tries to lead and the leader checks
    /// its database session (`LEADER_INTERVAL_MS`, default 1000): a dead leader is replaced
    /// about this long after its session ends, and a leader cut off from the database stops
    /// acting within three times it (at least a second after its last check).
    public var leaderInterval: Duration = .milliseconds(ShiftlogSettings.leaderIntervalMilliseconds.defaultValue)
    /// How long a request's line and headers may take to arrive, from its first byte
    /// (`REQUEST_HEADER_TIMEOUT_SECONDS`, default 10 s): later, the answer is 408 and the
    /// connection closes.
    public var requestHeaderTimeout: Duration = .seconds(ShiftlogSettings.requestHeaderTimeoutSeconds.defaultValue)
    /// How long a request's body may take to arrive, from the end of its headers
    /// (`REQUEST_BODY_TIMEOUT_SECONDS`, default 30 s): later, the answer is 408 (if none has
    /// started) and the connection closes.
    public var requestBodyTimeout: Duration = .seconds(ShiftlogSettings.requestBodyTimeoutSeconds.defaultValue)
    /// How long a kept-alive connection may sit with no request before it is closed
    /// (`IDLE_TIMEOUT_SECONDS`, default 60 s).
    public var idleTimeout: Duration = .seconds(ShiftlogSettings.idleTimeoutSeconds.defaultValue)
    /// Connections open at once at most (`MAX_CONNECTIONS`, default 1024): one more is answered
    /// 503 `TOO_MANY_CONNECTIONS` and closed.
    public var maxConnections = ShiftlogSettings.maxConnections.defaultValue

    /// The declared defaults: `0.0.0.0:3000`, no API key, a loop every 5 s, reconciliation
    /// every 60 s.
    public init() {}
}
