import Foundation

/// The test PostgreSQL server that `scripts/test` starts (`SHIFTLOG_POSTGRES_URL`), reached with
/// `psql` (Debian's postgresql-client, installed with the server): the CLI tests look at the
/// tables below any Shiftlog code, damage rows, and drop their schemas. Without the variable
/// the suites that need it fail, unless `SHIFTLOG_SKIP_POSTGRES=1` turns them off.
struct PostgresShell: Sendable {
    static let serverURL = ProcessInfo.processInfo.environment["SHIFTLOG_POSTGRES_URL"]
    static let isSkipped = ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_POSTGRES"] == "1"

    /// A schema of this test's own.
    let schema: String
    let server: String

    init() throws {
        guard let server = Self.serverURL else {
            throw PostgresShellError("SHIFTLOG_POSTGRES_URL is not set: run the tests with scripts/test (it starts PostgreSQL), or set SHIFTLOG_SKIP_POSTGRES=1")
        }
        self.server = server
        schema = "cli_" + UUID().uuidString.prefix(13).lowercased().filter { $0 != "-" }
    }

    /// The log's URL, as `--store` takes it.
    var url: String { url(schema: schema) }

    func url(schema: String) -> String { server + (server.contains("?") ? "&" : "?") + "schema=\(schema)" }

    /// Runs `sql` with `psql` and returns its unaligned, tuples-only output.
    @discardableResult
    func run(_ sql: String) async throws -> String {
        let ending = try await ChildRun.ending("/usr/bin/psql", ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql])
        guard ending.status == 0, !ending.signalled else {
            throw PostgresShellError("psql failed: \(ending.error)")
        }
        return ending.output
    }

    /// The stored event records, one `<16 hex digits of the sequence> <record in hex>` line each,
    /// in sequence order: the same shape as ``RecordDump/pairs(_:)`` of an LMDB folder.
    func records() async throws -> [String] {
        try await run("SELECT lpad(to_hex(sequence), 16, '0') || ' ' || encode(record, 'hex') FROM \"\(schema)\".events ORDER BY sequence")
            .split(separator: "\n").map(String.init)
    }

    /// How many tables the schema holds (0: the store never created it).
    func tableCount() async throws -> Int {
        Int(try await run("SELECT count(*) FROM pg_tables WHERE schemaname = '\(schema)'").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func drop() async {
        _ = try? await run("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    }
}

struct PostgresShellError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
