import Logging
public import ServiceLifecycle
public import ShiftlogEngine

/// Keeps the engine open while the service group runs, and closes it at graceful shutdown,
/// after the HTTP server and the loop have stopped (it is first in the group, so last to
/// stop): every command already submitted is answered, the effect handlers stop at an event
/// boundary, and the log is closed. Worker containers keep running; the next start adopts them.
public struct EngineService: Service {
    let engine: Engine
    let logger: Logger

    /// A service that keeps `engine` open until graceful shutdown.
    public init(engine: Engine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        logger.info("closing the engine")
        await engine.close()
    }
}
