public import ShiftlogCore
public import ShiftlogEngine
public import ShiftlogStore

/// What the console reads: the projections, the log they were folded from, and what the
/// serving process knows of itself (its clock, its effect handlers, whether it leads).
///
/// Two kinds serve it: ``EngineConsoleSource`` (the live engine of `shiftlog serve`) and
/// ``LogConsoleSource`` (a copy of a log opened read-only, for `shiftlog console`).
public protocol ConsoleSource: Sendable {
    /// The projections as they stand now.
    func state() throws -> LifecycleState
    /// The log the projections fold, for the events, the timelines and past states.
    var log: any EventLog { get }
    /// The time ages and countdowns are measured from.
    func now(of state: LifecycleState) -> Timestamp
    /// The lifecycle rules in force.
    func rules(of state: LifecycleState) -> LifecycleConfiguration
    /// The effect handlers and how far behind the log they are (none for a copy).
    var handlers: [HandlerStatus] { get }
    /// Whether this process leads a shared log (runs the loop and the effects).
    var isLeading: Bool { get }
    /// Whether the service's event stream (`GET /api/events`) is served beside the pages,
    /// so that pages can follow the log live.
    var streamsEvents: Bool { get }
}

/// The live engine of `shiftlog serve`.
public struct EngineConsoleSource: ConsoleSource {
    let engine: Engine

    /// The console's view of `engine`.
    public init(engine: Engine) {
        self.engine = engine
    }

    public func state() -> LifecycleState { engine.state }
    public var log: any EventLog { engine.log }
    public func now(of state: LifecycleState) -> Timestamp { engine.now }
    public func rules(of state: LifecycleState) -> LifecycleConfiguration { engine.configuration.lifecycle }
    public var handlers: [HandlerStatus] { engine.handlerStatuses }
    public var isLeading: Bool { engine.isLeading }
    public var streamsEvents: Bool { true }
}
