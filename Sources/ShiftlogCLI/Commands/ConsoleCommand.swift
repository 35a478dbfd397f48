import ArgumentParser
import Foundation
import Logging
import ShiftlogConsole
import ShiftlogCore

/// `shiftlog console`: the console's pages over a copy of a log, read-only, with no service.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Serve the console's pages over a copy of a log, read-only.",
        discussion: """
            For an incident: the pages `shiftlog serve` shows at / (overview, workers, items, an \
            item's story as a picture, events), over a log opened read-only, with no service \
            running, no loop and no action offered. Ages and countdowns are measured from the \
            log's last event, so the pages read as they did when the copy was taken. A \
            PostgreSQL log that running instances still write is followed: each page shows it \
            as it stands.

            It listens on this machine only (127.0.0.1) unless --host says otherwise, and \
            prints its address; Ctrl-C stops it.

            Examples:
              shiftlog console --path ./incident
              shiftlog console --path ./incident --port 0
              shiftlog console --store "postgres://shiftlog@db/shiftlog?schema=incident" --port 8080
            """)

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Where to listen (\(ShiftlogSettings.port.allowed); 0 picks a free port).")
    var port = "3000"

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    /// `--port`, checked as the `PORT` setting is.
    private func portNumber() throws -> Int {
        do {
            return try ShiftlogSettings.port.parse(port, origin: "--port", source: .flag)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws { _ = try portNumber() }

    func run() async throws {
        let port = try portNumber()
        do {
            try ListeningPort.check(host: host, port: port)
        } catch {
            throw fail(error.message, status: ExitStatus.unavailable)
        }
        let logger = Logger(label: "shiftlog.console") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        try await reporting {
            let store = try log.open()
            let source = try LogConsoleSource(store: store)
            let host = host
            let location = try StoreLocation(log.path).description
            try await ConsoleServer.run(source: source, host: host, port: port, logger: logger) { port in
                let shown = host == "0.0.0.0" ? "127.0.0.1" : host
                FileHandle.standardOutput.write(
                    Data("shiftlog console: http://\(shown):\(port)/ (read-only, \(location)); Ctrl-C stops it\n".utf8))
            }
        }
    }
}
