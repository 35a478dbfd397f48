/// How the HTTP service listens and what it tells workers. The lifecycle rules and the
/// worker image live in the engine's configuration.
public struct ServerSettings: Sendable {
    /// Address to listen on (`HOST`, default `0.0.0.0` so containers can call back).
    public var host = "0.0.0.0"
    /// `PORT` (whim: 3000). 0 picks a free port.
    public var port = 3000
    /// `API_KEY`: when set, management routes need it.
    public var apiKey: String?
    /// How often the orchestrator loop runs (`LOOP_INTERVAL_MS`, whim: 5000).
    public var loopInterval: Duration = .milliseconds(5_000)
    /// How often the loop reconciles with the runtime (and once at its first pass); `nil`: never.
    public var reconcileInterval: Duration? = .seconds(60)
    /// Dollars per million input and output tokens, for `/api/metrics`' cost estimate.
    public var costPerMillionTokens: (input: Double, output: Double) = (3, 15)
    /// Pacing and bounds of `GET /api/events`.
    public var eventStream = EventStreamSettings()
    /// On a shared PostgreSQL log, how often an instance tries to lead and the leader checks
    /// its database session (`LEADER_INTERVAL_MS`, default 1000): a dead leader is replaced
    /// about this long after its session ends, and a leader cut off from the database stops
    /// acting within three times it (at least a second after its last check).
    public var leaderInterval: Duration = .seconds(1)

    /// whim's defaults: `0.0.0.0:3000`, no API key, a loop every 5 s, reconciliation every
    /// 60 s.
    public init() {}
}
