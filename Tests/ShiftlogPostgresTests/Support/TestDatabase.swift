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
        _ = try await rows(sql) { _ in "" }
    }

    /// Runs SQL on the test server outside the store; the first column of each row, as text.
    func texts(_ sql: String) async throws -> [String] {
        try await rows(sql) { try $0.decode(String.self) }
    }

    private func rows(_ sql: String, _ read: (PostgresRow) throws -> String) async throws -> [String] {
        let location = try self.location
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable),
            id: 1, logger: Logger(label: "test"))
        do {
            var texts: [String] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test")) {
                texts.append(try read(row))
            }
            try await connection.close()
            return texts
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The schemas of this test: the log's, and its import's staging schema while there is one.
    func schemas() async throws -> [String] {
        try await texts("SELECT nspname::text FROM pg_namespace WHERE nspname IN ('\(schema)', '\(schema)-importing') ORDER BY 1")
    }

    func drop() async {
        try? await execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
        try? await execute("DROP SCHEMA IF EXISTS \"\(schema)-importing\" CASCADE")
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
