public import Logging
import PostgresNIO
import ShiftlogStore

/// A new PostgreSQL log built in a staging schema and renamed into place in one transaction at
/// the end, as an import into a folder is built beside it and renamed: what `shiftlog import`
/// writes into PostgreSQL. An import broken off (its process killed, its connection lost)
/// leaves the log's schema as it was (absent, or an empty log) and its copy so far in the
/// staging schema. Opening the log is refused meanwhile (``PostgresEventLog/init(_:options:logger:)``
/// throws `missing`, naming the import and what to do), and the next import into the same
/// schema drops the staging schema and starts again.
///
/// The staging schema of `x` is `x-importing`: a log's schema name holds no hyphen
/// (``PostgresLocation``), so no log is ever opened there by mistake. One import at a time
/// into a schema: an import holds the session-level advisory lock `shiftlog import x` (also
/// its session's `application_name`) from start to end, so a staging schema found by an
/// import that holds it was left by one that ended. The rename runs on that same session,
/// checked to be the one that took the lock, so it never moves a copy another import has
/// touched.
public enum PostgresStagingSchema {
    /// Builds the log at `location` in its staging schema: `build` gets that log (empty, open
    /// for writing) and fills it; when it returns, the log is closed and moved into place, in
    /// one transaction that first takes the lock a log's creation takes. The schema at
    /// `location` must be absent, empty, or hold an empty log (no events, checkpoints or
    /// snapshots), which the copy replaces. When anything throws, the staging schema is
    /// dropped and the schema at `location` is left as it was. A staging schema left by an
    /// import that ended is dropped first and reported through `notice`.
    ///
    /// - Throws: `StoreError`: `locked` when another import into the schema is running;
    ///   `conflict` when the schema came to hold a log while the copy was built (it is left as
    ///   it is, the copy dropped); `unavailable` or `database` from the server; or what
    ///   `build` throws.
    public static func build<T>(
        _ location: PostgresLocation, logger: Logger = Logger(label: "shiftlog.postgres"), notice: (String) -> Void = { _ in },
        _ build: (PostgresEventLog) throws -> T
    ) throws -> T {
        // The import's own session: it holds the lock until it is closed.
        let session = PostgresSession(location: location, logger: logger)
        defer { session.close() }
        let backend = try lock(session, location, logger: logger)
        var staging = location
        staging.schema = name(for: location.schema)
        if try exists(staging.schema, session, logger: logger) {
            try drop(staging.schema, session, logger: logger)
            notice("removed schema '\(staging.schema)', left by an import into \(location) that did not finish")
        }
        do {
            let store = try PostgresEventLog(staging, logger: logger)
            let result: T
            do {
                defer { store.close() }
                result = try build(store)
            }
            _ = try session.run("moving the imported log into place") {
                $0.query(moveIntoPlace(staging.schema, location, backend: backend), logger: logger)
            }
            // Still there: the rename did not happen, because the schema holds a log now.
            if try exists(staging.schema, session, logger: logger) {
                throw StoreError(
                    .conflict,
                    "\(location): schema '\(location.schema)' came to hold a log while the import ran; it is left as it is, and the imported copy was dropped")
            }
            return result
        } catch {
            try? drop(staging.schema, session, logger: logger)
            throw error
        }
    }

    /// The staging schema of the log in `schema`.
    static func name(for schema: String) -> String { "\(schema)-importing" }

    /// The advisory lock an import holds (its hash is the key), and its session's name.
    static func lockName(_ schema: String) -> String { "shiftlog import \(schema)" }

    /// Takes the import's lock on `session`; returns the session's backend pid.
    private static func lock(_ session: PostgresSession, _ location: PostgresLocation, logger: Logger) throws(StoreError) -> Int32 {
        let name = lockName(location.schema)
        let row = try session.run("taking the import's lock") {
            $0.query("SELECT pg_try_advisory_lock(hashtext(\(name))), pg_backend_pid()", logger: logger)
        }.rows.first
        guard let answer = try? row?.decode((Bool, Int32).self) else {
            throw StoreError(.database, "\(location): taking the import's lock answered no row")
        }
        let (taken, backend) = answer
        guard taken else {
            throw StoreError(
                .locked,
                "\(location): another import into schema '\(location.schema)' is running (its session is '\(name)' in pg_stat_activity); wait for it to end")
        }
        // Names are checked (letters, digits, `_`), so the name quotes safely.
        _ = try session.run("naming the import's session") {
            $0.query(PostgresQuery(unsafeSQL: "SET application_name = '\(name)'"), logger: logger)
        }
        return backend
    }

    static func exists(_ schema: String, _ session: PostgresSession, logger: Logger) throws(StoreError) -> Bool {
        let row = try session.run("looking for schema '\(schema)'") {
            $0.query("SELECT count(*) FROM pg_namespace WHERE nspname = \(schema)", logger: logger)
        }.rows.first
        return (try? row?.decode(Int64.self)) ?? 0 > 0
    }

    private static func drop(_ schema: String, _ session: PostgresSession, logger: Logger) throws(StoreError) {
        _ = try session.run("dropping schema '\(schema)'") {
            $0.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(PostgresSchema.quoted(schema)) CASCADE"), logger: logger)
        }
    }

    /// One statement, so one transaction, under the lock that a log's creation takes: replaces
    /// an absent or empty schema, or an empty log (its tables locked, then checked), by the
    /// staging schema, and tells the log's listeners. A schema holding anything else is left
    /// alone, and so is the staging schema (the caller sees it still there). Run elsewhere
    /// than on the session that took the import's lock (the connection broke and was opened
    /// again, so the lock may have passed to another import), it refuses.
    private static func moveIntoPlace(_ staging: String, _ location: PostgresLocation, backend: Int32) -> PostgresQuery {
        let target = location.schema
        let t = PostgresSchema.quoted(target)
        return PostgresQuery(unsafeSQL: """
            DO $shiftlog$
            DECLARE
                tables text[];
            BEGIN
                IF pg_backend_pid() <> \(backend) THEN
                    RAISE EXCEPTION 'the import''s session was lost while it copied; run the import again';
                END IF;
                PERFORM \(PostgresSchema.creationLock(target));
                SELECT array_agg(tablename::text ORDER BY tablename) INTO tables FROM pg_tables WHERE schemaname = '\(target)';
                IF tables IS NOT NULL THEN
                    IF tables <> ARRAY[\(PostgresSchema.tableNames.map { "'\($0)'" }.joined(separator: ", "))] THEN
                        RETURN;
                    END IF;
                    LOCK TABLE \(t).head, \(t).events, \(t).checkpoints, \(t).snapshots IN ACCESS EXCLUSIVE MODE;
                    IF (SELECT sequence FROM \(t).head) <> 0 OR EXISTS (SELECT 1 FROM \(t).events)
                        OR EXISTS (SELECT 1 FROM \(t).checkpoints) OR EXISTS (SELECT 1 FROM \(t).snapshots) THEN
                        RETURN;
                    END IF;
                    DROP SCHEMA \(t) CASCADE;
                ELSIF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '\(target)') THEN
                    DROP SCHEMA \(t);
                END IF;
                ALTER SCHEMA \(PostgresSchema.quoted(staging)) RENAME TO \(t);
                PERFORM pg_notify('\(location.notificationChannel)', (SELECT sequence FROM \(t).head)::text);
            END $shiftlog$
            """)
    }
}
