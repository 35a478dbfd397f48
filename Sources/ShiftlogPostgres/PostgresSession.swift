import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ShiftlogStore
import Synchronization

/// One connection to the server, opened when first needed and opened again after it breaks,
/// used from synchronous code: the engine's writer runs on a thread of its own, and the
/// inspection tools are synchronous.
///
/// Queries run on the connection's event loop (SwiftNIO), never on Swift's cooperative pool,
/// so waiting for one from any thread cannot starve the tasks that would answer it. A failure
/// of the connection (refused, reset, closed by the server) is ``StoreError`` `unavailable`
/// and the next call connects again; an error the server reports is `database`, naming its
/// SQLSTATE.
final class PostgresSession: Sendable {
    private let location: PostgresLocation
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)
    private let nextID = Atomic<Int>(1)
    /// How long a connection attempt may take before the store is reported unavailable.
    static let connectTimeout = TimeAmount.seconds(5)

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// Runs `body` on the open connection and waits for its result.
    func run<T: Sendable>(_ what: String, _ body: (PostgresConnection) -> EventLoopFuture<T>) throws(StoreError) -> T {
        let connection = try connected()
        do {
            return try body(connection).wait()
        } catch let error as PSQLError where error.code == .server {
            throw Self.serverError(error, what: what, location: location)
        } catch {
            drop(connection)
            throw StoreError(.unavailable, "\(location): \(what) failed: \(Self.describe(error))")
        }
    }

    deinit { close() }

    /// Closes the connection; a later ``run(_:_:)`` opens a new one.
    func close() {
        let open = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        if let open { Self.closeSoon(open) }
    }

    private func connected() throws(StoreError) -> PostgresConnection {
        let result = connection.withLock { connection -> Result<PostgresConnection, StoreError> in
            if let open = connection, !open.isClosed { return .success(open) }
            do {
                let opened = try PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(), configuration: Self.configuration(location),
                    id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger
                ).wait()
                connection = opened
                return .success(opened)
            } catch let error as PSQLError where error.code == .server {
                return .failure(Self.serverError(error, what: "connecting", location: location))
            } catch {
                return .failure(StoreError(.unavailable, "\(location): cannot connect: \(Self.describe(error))"))
            }
        }
        return try result.get()
    }

    private func drop(_ broken: PostgresConnection) {
        connection.withLock { connection in
            if connection === broken { connection = nil }
        }
        Self.closeSoon(broken)
    }

    /// Starts closing a connection without waiting for it; the connection is kept alive until
    /// it is closed (postgres-nio asserts that a connection is closed before it goes away).
    static func closeSoon(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    static func configuration(_ location: PostgresLocation) -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// An error the server reported, with its SQLSTATE and message.
    static func serverError(_ error: PSQLError, what: String, location: PostgresLocation) -> StoreError {
        let state = error.serverInfo?[.sqlState] ?? "?"
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        // 08xxx: connection exceptions; 57P0x: the server is shutting down or restarting.
        if state.hasPrefix("08") || state.hasPrefix("57P") {
            return StoreError(.unavailable, "\(location): \(what) failed: \(message) (SQLSTATE \(state))")
        }
        return StoreError(.database, "\(location): \(what) failed: \(message) (SQLSTATE \(state))")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        }
        return "\(error)"
    }
}
