import Logging
import PostgresNIO
import ShiftlogStore

/// The tables of a PostgreSQL event log, all in one schema (`shiftlog` unless the URL names
/// another), created and checked by the store itself:
///
/// ```sql
/// meta        (key text PRIMARY KEY, value text)        -- 'format', 'schemaVersion'
/// head        (id boolean PRIMARY KEY, sequence bigint)   -- one row: the last sequence
/// events      (sequence bigint PRIMARY KEY, record bytea) -- the LMDB store's record bytes
/// checkpoints (handler text PRIMARY KEY, sequence bigint)
/// snapshots   (sequence bigint PRIMARY KEY, frame bytea)  -- checksummed as in LMDB
/// ```
///
/// `head` is what makes appends conditional: an append updates it only where it still holds
/// the sequence the append follows, so two writers can never both write sequence N.
enum PostgresSchema {
    /// The marker stored under `meta.format`, as in the LMDB store.
    static let formatName = "shiftlog-event-log"
    /// The version this build creates and the highest it reads.
    static let version = 1

    /// Creates the tables when `create` and they are absent, then checks the marker and the
    /// version.
    ///
    /// - Throws: ``StoreError``: `missing` (no log here, opening read-only; or an import into
    ///   the schema is running or was broken off, see ``PostgresStagingSchema``), `foreign` (the
    ///   schema holds other tables), `newerFormat`, `unavailable`, `database`.
    static func prepare(_ session: PostgresSession, _ location: PostgresLocation, create: Bool, logger: Logger)
        throws(StoreError)
    {
        let schema = location.schema
        let tables = try session.run("reading the schema") {
            $0.query("SELECT tablename FROM pg_tables WHERE schemaname = \(schema)", logger: logger)
        }.rows.compactMap { try? $0.decode(String.self) }
        if !tables.contains("meta") {
            guard tables.isEmpty else {
                throw StoreError(.foreign, "\(location): schema '\(schema)' holds tables that are not a Shiftlog log (\(tables.sorted().joined(separator: ", ")))")
            }
            // Not even an empty log is created under an import on its way (it would refuse
            // to replace it at the end), nor over one that was broken off.
            let staging = PostgresStagingSchema.name(for: schema)
            if try PostgresStagingSchema.exists(staging, session, logger: logger) {
                throw StoreError(
                    .missing,
                    "\(location): no Shiftlog log here yet: an import into schema '\(schema)' is running or was broken off (schema '\(staging)' holds its copy so far); run `shiftlog import` into it again to finish it, or drop schema '\(staging)'")
            }
            guard create else { throw StoreError(.missing, "\(location): no Shiftlog log here (schema '\(schema)' has no tables)") }
            _ = try session.run("creating the log's tables") { $0.query(creation(schema), logger: logger) }
        }
        let meta = try session.run("reading the log's format") {
            $0.query(PostgresQuery(unsafeSQL: "SELECT key, value FROM \(quoted(schema)).meta"), logger: logger)
        }.rows.reduce(into: [String: String]()) { meta, row in
            if let (key, value) = try? row.decode((String, String).self) { meta[key] = value }
        }
        guard meta["format"] == formatName, let version = meta["schemaVersion"].flatMap(Int.init) else {
            throw StoreError(.foreign, "\(location): schema '\(schema)' is not a Shiftlog log (format marker is \(meta["format"].map { "'\($0)'" } ?? "missing"))")
        }
        guard version <= Self.version else {
            throw StoreError(.newerFormat, "\(location): log schema version \(version) is newer than this build reads (\(Self.version)); upgrade shiftlog")
        }
    }

    /// One statement (so one transaction), serialised across instances that start together by
    /// a transaction-scoped advisory lock.
    private static func creation(_ schema: String) -> PostgresQuery {
        let s = quoted(schema)
        return PostgresQuery(unsafeSQL: """
            DO $shiftlog$ BEGIN
                PERFORM \(creationLock(schema));
                CREATE SCHEMA IF NOT EXISTS \(s);
                CREATE TABLE IF NOT EXISTS \(s).meta (key text PRIMARY KEY, value text NOT NULL);
                CREATE TABLE IF NOT EXISTS \(s).head (
                    id boolean PRIMARY KEY DEFAULT true CHECK (id), sequence bigint NOT NULL);
                CREATE TABLE IF NOT EXISTS \(s).events (sequence bigint PRIMARY KEY, record bytea NOT NULL);
                CREATE TABLE IF NOT EXISTS \(s).checkpoints (handler text PRIMARY KEY, sequence bigint NOT NULL);
                CREATE TABLE IF NOT EXISTS \(s).snapshots (sequence bigint PRIMARY KEY, frame bytea NOT NULL);
                INSERT INTO \(s).head (id, sequence) VALUES (true, 0) ON CONFLICT DO NOTHING;
                INSERT INTO \(s).meta (key, value) VALUES
                    ('format', \(literal(formatName))), ('schemaVersion', '\(version)')
                    ON CONFLICT DO NOTHING;
            END $shiftlog$
            """)
    }

    /// The tables of a log, sorted by name: what ``creation(_:)`` makes.
    static let tableNames = ["checkpoints", "events", "head", "meta", "snapshots"]

    /// The call that takes the transaction-scoped advisory lock under which a log's tables are
    /// created in `schema`, and an import's copy is renamed into it (``PostgresStagingSchema``):
    /// one key for both, so that neither sees the other half done.
    static func creationLock(_ schema: String) -> String {
        "pg_advisory_xact_lock(hashtext('shiftlog schema ' || \(literal(schema))))"
    }

    /// A schema name as an SQL identifier. Names are checked by ``PostgresLocation`` (lower-case
    /// letters, digits, `_`; a staging schema adds `-importing`), so quoting cannot be escaped.
    static func quoted(_ schema: String) -> String { "\"\(schema)\"" }

    private static func literal(_ text: String) -> String { "'\(text)'" }
}
