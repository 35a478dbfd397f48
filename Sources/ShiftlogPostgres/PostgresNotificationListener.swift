import Logging
import PostgresNIO
import ShiftlogCore
import Synchronization

/// Listens, on a connection of its own, for the notification every append sends (its payload
/// is the log's new last sequence), and raises `signal` to it: another instance's events are
/// known here within a round trip instead of at the next poll. When the connection breaks it
/// connects again after a second; polling covers the gap.
final class PostgresNotificationListener: Sendable {
    private let location: PostgresLocation
    private let signal: ProgressSignal
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Atomic(false)

    init(location: PostgresLocation, signal: ProgressSignal, logger: Logger) {
        self.location = location
        self.signal = signal
        self.logger = logger
    }

    /// Starts listening, once; later calls do nothing.
    func start() {
        guard !stopped.load(ordering: .acquiring) else { return }
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [location, signal, logger] in
                while !Task.isCancelled {
                    do {
                        let connection = try await PostgresConnection.connect(
                            configuration: PostgresSession.configuration(location), id: 0, logger: logger)
                        defer { PostgresSession.closeSoon(connection) }
                        try await connection.listen(on: location.notificationChannel) { notifications in
                            for try await notification in notifications {
                                if let sequence = UInt64(notification.payload) { signal.advance(to: sequence) }
                            }
                        }
                    } catch {
                        logger.debug("notification listener reconnects", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        task.withLock { $0?.cancel() }
    }
}
