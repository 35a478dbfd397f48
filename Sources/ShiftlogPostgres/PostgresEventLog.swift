public import Logging
import NIOCore
import PostgresNIO
public import ShiftlogCore
public import ShiftlogStore
import Synchronization

/// The event log, handler checkpoints and projection snapshots in PostgreSQL, shared by every
/// instance of the service that opens the same URL.
///
/// Events keep the LMDB store's record bytes (checksum included) under the same gap-free
/// sequence, so a log moves between the stores exactly. Every append is one statement, so one
/// transaction: it moves the `head` row from the sequence it follows to its last one, and
/// writes its events, checkpoints and snapshot only if that move happened. Two writers can
/// never both write sequence N: the loser gets `StoreError` `conflict` with nothing stored,
/// and the engine folds the winner's events and decides again. Each append notifies the
/// others (`LISTEN`/`NOTIFY`); ``waitForEvents(after:pollInterval:)`` wakes on that, or on
/// the poll interval when notifications are lost.
///
/// Reads and writes use connections of their own; a broken connection
/// is reported as `unavailable` and opened again on the next call.
public final class PostgresEventLog: EventStore, Sendable {
    /// How to open the log.
    public struct Options: Sendable {
        /// Open for reading only: no table is created, and writes are refused.
        public var readOnly = false
        /// How often the instances sharing the log try to lead and the leader checks its
        /// session: what bounds a takeover (``leaderElection(instance:)``).
        public var election = PostgresLeaderElection.Options()

        /// Options for reading and writing, or for reading only, with the election's timing.
        public init(readOnly: Bool = false, election: PostgresLeaderElection.Options = .init()) {
            self.readOnly = readOnly
            self.election = election
        }
    }

    /// Snapshots kept; older ones are deleted when a new one is written.
    static let snapshotsKept = 2

    /// The server, database and schema.
    public let postgres: PostgresLocation
    /// Whether writes are refused (``Options/readOnly``).
    public let isReadOnly: Bool
    private let election: PostgresLeaderElection.Options
    private let writer: PostgresSession
    private let reader: PostgresSession
    private let logger: Logger
    /// The highest sequence known to be in the log: appends here and notifications of others'.
    private let known = ProgressSignal()
    private let listener: PostgresNotificationListener
    private let closed = Atomic(false)
    private let events: String
    private let tables: (head: String, checkpoints: String, snapshots: String)

    /// Connects, creates the tables when writable and absent, and checks their format.
    ///
    /// - Throws: `StoreError`: `unavailable` when the server cannot be reached, `missing`
    ///   (read-only, no log there; or, read-only or not, no log yet because an import into the
    ///   schema is running or was broken off: see ``PostgresStagingSchema``), `foreign`,
    ///   `newerFormat`, `database`.
    public init(_ location: PostgresLocation, options: Options = Options(), logger: Logger = Logger(label: "shiftlog.postgres")) throws(StoreError) {
        self.postgres = location
        self.isReadOnly = options.readOnly
        self.election = options.election
        self.logger = logger
        self.writer = PostgresSession(location: location, logger: logger)
        self.reader = PostgresSession(location: location, logger: logger)
        self.listener = PostgresNotificationListener(location: location, signal: known, logger: logger)
        let schema = PostgresSchema.quoted(location.schema)
        self.events = "\(schema).events"
        self.tables = ("\(schema).head", "\(schema).checkpoints", "\(schema).snapshots")
        do {
            try PostgresSchema.prepare(reader, location, create: !options.readOnly, logger: logger)
            known.advance(to: try headSequence())
        } catch {
            reader.close()
            throw error
        }
    }

    /// Opens the log at a `postgres://` URL (see ``PostgresLocation``).
    public convenience init(url: String, options: Options = Options(), logger: Logger = Logger(label: "shiftlog.postgres")) throws(StoreError) {
        try self.init(PostgresLocation(url: url), options: options, logger: logger)
    }

    /// The URL of the log, without its password.
    public var location: String { postgres.description }

    /// Always: other instances append to the same tables.
    public var isShared: Bool { true }

    /// Ends writing: later appends are refused (`StoreError` `closed`); the notification
    /// listener stops and the connections are closed. Idempotent.
    public func close() {
        closed.store(true, ordering: .releasing)
        listener.stop()
        writer.close()
        reader.close()
    }

    /// The instances sharing this log elect their leader through an advisory lock
    /// (``PostgresLeaderElection``).
    public func leaderElection(instance: String) -> (any LeaderElection)? {
        PostgresLeaderElection(location: postgres, instance: instance, options: election, logger: logger)
    }

    // MARK: EventLog

    /// The advisory lock that makes a turn (its hash is the key): every conditional append
    /// takes it shared for its statement, a turn exclusive for its session. Schema names are
    /// checked (letters, digits, `_`), so it quotes safely.
    var appendLockName: String { "'shiftlog appends \(postgres.schema)'" }

    /// Holds the log's append lock exclusively on the writer's session while `body` runs:
    /// appends of other instances wait in their statement (they take it shared), and
    /// PostgreSQL queues new shared requests behind a waiting exclusive one, so the turn
    /// comes once the appends in flight end. A session that dies releases it.
    ///
    /// - Throws: `StoreError` `unavailable` when the lock cannot be taken; `body` has not run.
    public func withAppendsExcluded(_ body: () -> Void) throws {
        guard !isReadOnly else { throw StoreError(.readOnly, "\(location) is open read-only") }
        _ = try writer.run("waiting for a turn to append") {
            $0.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_lock(hashtext(\(self.appendLockName)))"), logger: self.logger)
        }
        defer {
            // On a session that broke meanwhile the lock is gone already, and this unlocks nothing.
            _ = try? writer.run("ending a turn to append") {
                $0.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_unlock(hashtext(\(self.appendLockName)))"), logger: self.logger)
            }
        }
        body()
    }

    /// Appends the batch in one statement, conditional on the `head` row still holding the
    /// sequence before its first event; a batch with no event (checkpoints, a snapshot) is
    /// written unconditionally. A batch with a snapshot prunes all but the newest two.
    ///
    /// - Throws: `StoreError` `conflict` when another instance appended that sequence first
    ///   (nothing is stored), `readOnly`, `closed`, or `unavailable` when the connection broke
    ///   and the events are not in the table (a commit whose answer was lost counts as done).
    public func append(_ batch: AppendBatch) throws {
        guard !isReadOnly else { throw StoreError(.readOnly, "\(location) is open read-only") }
        guard !closed.load(ordering: .acquiring) else { throw StoreError(.closed, "\(location) was closed for writing") }
        guard !batch.isEmpty else { return }
        guard let first = batch.events.first, let last = batch.events.last else {
            try writeUnconditionally(batch)
            return
        }
        let records = try batch.events.map { ByteBuffer(bytes: try EventRecord.encode($0)) }
        do {
            let query = try conditionalAppend(batch, records: records)
            let moved = try writer.run("appending events \(first.sequence)...\(last.sequence)") {
                $0.query(query, logger: self.logger)
            }.rows.first.flatMap { try? $0.decode(Int64.self) } ?? 0
            guard moved == 1 else {
                throw StoreError(.conflict, "\(location): event \(first.sequence) was appended by another writer first")
            }
        } catch let error as StoreError where error.code == .unavailable {
            // The connection broke: the statement may have committed before the answer was
            // lost. Stored with these very bytes means it did; anything else, it did not.
            guard try storedRecord(first.sequence) == records[0] else { throw error }
        }
        known.advance(to: last.sequence)
        if batch.snapshot != nil { pruneSnapshots() }
    }

    /// Up to `limit` events (at most 2²⁰ a call) with sequence > `sequence`, in order, whoever
    /// appended them.
    ///
    /// - Throws: `StoreError` `sequenceGap` when a sequence is missing, `corrupt` when a record
    ///   fails its checksum or does not decode, `unavailable` when the server cannot be reached.
    public func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] {
        guard limit > 0, let after = Int64(exactly: sequence) else { return [] }
        let query = PostgresQuery(
            unsafeSQL: "SELECT sequence, record FROM \(events) WHERE sequence > $1 ORDER BY sequence LIMIT $2",
            binds: try Self.bindings(after, Int64(min(limit, 1 << 20))))
        let rows = try reader.run("reading events after \(sequence)") { $0.query(query, logger: self.logger) }.rows
        var events: [RecordedEvent] = []
        events.reserveCapacity(rows.count)
        var expected = sequence + 1
        for row in rows {
            let (stored, record) = try decode(row, (Int64, ByteBuffer).self)
            guard stored > 0, UInt64(stored) == expected else {
                throw StoreError(.sequenceGap, "\(location): event \(expected) is missing (next is \(stored))")
            }
            events.append(try record.withUnsafeReadableBytes { bytes throws(StoreError) in
                try EventRecord.decode(sequence: expected, bytes)
            })
            expected += 1
        }
        return events
    }

    /// The sequence in the `head` row: the last event any instance appended; 0 when the log is
    /// empty.
    public func lastSequence() throws -> UInt64 {
        try headSequence()
    }

    private func headSequence() throws(StoreError) -> UInt64 {
        let row = try reader.run("reading the last sequence") {
            $0.query(PostgresQuery(unsafeSQL: "SELECT sequence FROM \(self.tables.head)"), logger: self.logger)
        }.rows.first
        guard let row else { throw StoreError(.corrupt, "\(location): the head row is missing") }
        let last = try decode(row, Int64.self)
        guard last >= 0 else { throw StoreError(.corrupt, "\(location): the head row holds \(last)") }
        return UInt64(last)
    }

    /// This instance's appends, and the others' as their notifications arrive (a lost
    /// notification leaves it behind until the next append is announced).
    public var announcedSequence: UInt64? { known.value }

    /// Suspends until an append after `sequence` is known here: this instance's own, another's
    /// notification (`LISTEN`), or at the latest after `pollInterval`.
    public func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        listener.start()
        await known.wait(until: sequence + 1, timeout: pollInterval)
    }

    // MARK: CheckpointStore, SnapshotStore

    public func checkpoint(for handler: String) throws -> UInt64? {
        try checkpoints()[handler]
    }

    public func checkpoints() throws -> [String: UInt64] {
        let rows = try reader.run("reading checkpoints") {
            $0.query(PostgresQuery(unsafeSQL: "SELECT handler, sequence FROM \(self.tables.checkpoints)"), logger: self.logger)
        }.rows
        var result: [String: UInt64] = [:]
        for row in rows {
            let (handler, sequence) = try decode(row, (String, Int64).self)
            result[handler] = UInt64(clamping: sequence)
        }
        return result
    }

    public func latestSnapshot() throws -> StoredSnapshot? {
        try snapshots(newestOnly: true).last
    }

    /// Every stored snapshot, oldest first. One that fails its checksum is an error naming it.
    public func snapshots() throws -> [StoredSnapshot] {
        try snapshots(newestOnly: false)
    }

    /// Events stored; with contiguous sequences this equals ``lastSequence()``.
    public func eventCount() throws -> Int {
        let row = try reader.run("counting events") {
            $0.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(self.events)"), logger: self.logger)
        }.rows.first
        return try row.map { Int(try decode($0, Int64.self)) } ?? 0
    }

    /// Visits the stored records after `sequence` in sequence order, exactly as stored and
    /// unchecked (no checksum, no continuity: that is the caller's job), a batch of rows at a
    /// time, until `visit` returns false. The key is the sequence as 8 big-endian bytes, the
    /// key the record's checksum covers.
    public func scanRecords(
        after sequence: UInt64, _ visit: (_ key: UnsafeRawBufferPointer, _ record: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard var position = Int64(exactly: sequence) else { return }
        let batchSize: Int64 = 4_096
        while true {
            let query = PostgresQuery(
                unsafeSQL: "SELECT sequence, record FROM \(events) WHERE sequence > $1 ORDER BY sequence LIMIT $2",
                binds: try Self.bindings(position, batchSize))
            let rows = try reader.run("reading records after \(position)") { $0.query(query, logger: self.logger) }.rows
            for row in rows {
                let (stored, record) = try decode(row, (Int64, ByteBuffer).self)
                position = stored
                let key = StoredRecord.key(UInt64(bitPattern: stored))
                let more = try key.withUnsafeBytes { key in
                    try record.withUnsafeReadableBytes { try visit(key, $0) }
                }
                guard more else { return }
            }
            guard rows.count == Int(batchSize) else { return }
        }
    }

    // MARK: Internals

    /// The append statement: moves `head` from the sequence before the batch to its last one,
    /// and writes everything else only where that move happened; tells the listeners.
    private func conditionalAppend(_ batch: AppendBatch, records: [ByteBuffer]) throws(StoreError) -> PostgresQuery {
        let first = batch.events[0].sequence, last = batch.events[batch.events.count - 1].sequence
        let (handlers, positions) = Self.columns(batch.checkpoints)
        let snapshot = batch.snapshot.map { ([Int64(clamping: $0.sequence)], [ByteBuffer(bytes: SnapshotFrame.frame($0.bytes))]) }
        return PostgresQuery(
            unsafeSQL: """
                WITH turn AS (
                    SELECT pg_advisory_xact_lock_shared(hashtext(\(appendLockName)))
                ), moved AS (
                    UPDATE \(tables.head) SET sequence = $2
                    WHERE sequence = $1 AND EXISTS (SELECT 1 FROM turn) RETURNING sequence
                ), appended AS (
                    INSERT INTO \(events) (sequence, record)
                    SELECT e.sequence, e.record FROM unnest($3::bigint[], $4::bytea[]) AS e(sequence, record)
                    WHERE EXISTS (SELECT 1 FROM moved)
                ), positions AS (
                    INSERT INTO \(tables.checkpoints) (handler, sequence)
                    SELECT c.handler, c.sequence FROM unnest($5::text[], $6::bigint[]) AS c(handler, sequence)
                    WHERE EXISTS (SELECT 1 FROM moved)
                    ON CONFLICT (handler) DO UPDATE SET sequence = excluded.sequence
                ), snapshot AS (
                    INSERT INTO \(tables.snapshots) (sequence, frame)
                    SELECT s.sequence, s.frame FROM unnest($7::bigint[], $8::bytea[]) AS s(sequence, frame)
                    WHERE EXISTS (SELECT 1 FROM moved)
                    ON CONFLICT (sequence) DO NOTHING
                ), notified AS (
                    SELECT pg_notify($9, sequence::text) FROM moved
                )
                SELECT (SELECT count(*) FROM moved) + 0 * (SELECT count(*) FROM notified)
                """,
            binds: try Self.bindings(
                Int64(clamping: first - 1), Int64(clamping: last), batch.events.map { Int64(clamping: $0.sequence) }, records,
                handlers, positions, snapshot?.0 ?? [], snapshot?.1 ?? [], postgres.notificationChannel))
    }

    /// Checkpoints (and a snapshot) with no event: nothing to be conditional on.
    private func writeUnconditionally(_ batch: AppendBatch) throws {
        let (handlers, positions) = Self.columns(batch.checkpoints)
        let snapshot = batch.snapshot.map { ([Int64(clamping: $0.sequence)], [ByteBuffer(bytes: SnapshotFrame.frame($0.bytes))]) }
        let query = PostgresQuery(
                    unsafeSQL: """
                        WITH positions AS (
                            INSERT INTO \(self.tables.checkpoints) (handler, sequence)
                            SELECT c.handler, c.sequence FROM unnest($1::text[], $2::bigint[]) AS c(handler, sequence)
                            ON CONFLICT (handler) DO UPDATE SET sequence = excluded.sequence
                        )
                        INSERT INTO \(self.tables.snapshots) (sequence, frame)
                        SELECT s.sequence, s.frame FROM unnest($3::bigint[], $4::bytea[]) AS s(sequence, frame)
                        ON CONFLICT (sequence) DO NOTHING
                        """,
                    binds: try Self.bindings(handlers, positions, snapshot?.0 ?? [], snapshot?.1 ?? []))
        _ = try writer.run("storing checkpoints") { $0.query(query, logger: self.logger) }
        if batch.snapshot != nil { pruneSnapshots() }
    }

    private func storedRecord(_ sequence: UInt64) throws -> ByteBuffer? {
        let query = PostgresQuery(
            unsafeSQL: "SELECT record FROM \(events) WHERE sequence = $1", binds: try Self.bindings(Int64(clamping: sequence)))
        return try reader.run("checking whether event \(sequence) was stored") { $0.query(query, logger: self.logger) }
            .rows.first.map { try decode($0, ByteBuffer.self) }
    }

    /// Keeps the newest snapshots; a failure here only leaves an extra one behind.
    private func pruneSnapshots() {
        _ = try? writer.run("pruning snapshots") {
            $0.query(
                PostgresQuery(unsafeSQL: """
                    DELETE FROM \(self.tables.snapshots) WHERE sequence NOT IN
                        (SELECT sequence FROM \(self.tables.snapshots) ORDER BY sequence DESC LIMIT \(Self.snapshotsKept))
                    """),
                logger: self.logger)
        }
    }

    private func snapshots(newestOnly: Bool) throws -> [StoredSnapshot] {
        let rows = try reader.run("reading snapshots") {
            $0.query(
                PostgresQuery(unsafeSQL: """
                    SELECT sequence, frame FROM \(self.tables.snapshots) ORDER BY sequence DESC \(newestOnly ? "LIMIT 1" : "")
                    """),
                logger: self.logger)
        }.rows
        return try rows.reversed().map { row in
            let (stored, frame) = try decode(row, (Int64, ByteBuffer).self)
            let sequence = UInt64(clamping: stored)
            let bytes = try frame.withUnsafeReadableBytes { bytes throws(StoreError) in
                try SnapshotFrame.unframe(bytes, sequence: sequence, location: location)
            }
            return StoredSnapshot(sequence: sequence, bytes: bytes)
        }
    }

    private func decode<T: PostgresDecodable>(_ row: PostgresRow, _: T.Type) throws(StoreError) -> T {
        do { return try row.decode(T.self) } catch { throw StoreError(.corrupt, "\(location): a row does not decode as \(T.self): \(error)") }
    }

    private func decode<A: PostgresDecodable, B: PostgresDecodable>(_ row: PostgresRow, _: (A, B).Type) throws(StoreError) -> (A, B) {
        do { return try row.decode((A, B).self) } catch { throw StoreError(.corrupt, "\(location): a row does not decode as (\(A.self), \(B.self)): \(error)") }
    }

    private static func columns(_ checkpoints: [String: UInt64]) -> ([String], [Int64]) {
        let sorted = checkpoints.sorted { $0.key < $1.key }
        return (sorted.map(\.key), sorted.map { Int64(clamping: $0.value) })
    }

    private static func bindings(_ values: any PostgresThrowingDynamicTypeEncodable...) throws(StoreError) -> PostgresBindings {
        var bindings = PostgresBindings()
        do {
            for value in values { try bindings.append(value) }
        } catch {
            throw StoreError(.database, "cannot encode a query parameter: \(error)")
        }
        return bindings
    }
}
