import Hummingbird
public import Logging
import NIOCore

/// The console alone, read-only (`shiftlog console --path COPY`): the pages over a
/// ``LogConsoleSource``, no action, no event stream, no sign-in (it listens on this machine
/// only unless told otherwise). Runs until SIGINT or SIGTERM.
public enum ConsoleServer {
    /// Serves `source` on `host`:`port` (0: a free port); `onRunning` gets the port.
    public static func run(
        source: any ConsoleSource, host: String, port: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let router = Router()
        Console(source: source, actions: nil, access: ConsoleAccess(apiKey: nil), logger: logger).add(to: router)
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "shiftlog-console"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        try await application.runService()
    }
}
