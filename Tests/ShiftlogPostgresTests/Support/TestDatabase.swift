import Foundation
import Logging
import PostgresNIO
import ShiftlogPostgres

/// A schema of its own on the test server that `scripts/postgres-server` starts
/// (`SHIFTLOG_POSTGRES_URL`, exported by `scripts/test`), dropped by ``drop()``. Without the
/// variable the suites fail, unless `SHIFTLOG_SKIP_POSTGRES=1` turns them off.
struct TestDatabase: Sendable {
    static let serverURL = ProcessInfo.processInfo.environment["SHIFTLOG_POSTGRES_URL"]
    static let isSkipped = ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_POSTGRES"] == "1"

    let schema: String
    let url: String

    init() throws {
        guard let server = Self.serverURL else {
            throw TestDatabaseError("SHIFTLOG_POSTGRES_URL is not set: run the tests with scripts/test (it starts PostgreSQL), or set SHIFTLOG_SKIP_POSTGRES=1")
        }
        schema = "t_" + UUID().uuidString.prefix(12).lowercased().filter { $0 != "-" }
        url = server + (server.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    var location: PostgresLocation { get throws { try PostgresLocation(url: url) } }

    /// Runs SQL on the test server outside the store (to damage a row, drop the schema).
    func execute(_ sql: String) async throws {
        let location = try self.location
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable),
            id: 1, logger: Logger(label: "test"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    func drop() async {
        try? await execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
