import Foundation
@testable import ShiftlogCore
import ShiftlogPostgres
import ShiftlogStore
import Testing

/// A log built in its staging schema (`<schema>-importing`) and renamed into place at the end
/// (``PostgresStagingSchema``), as `shiftlog import` builds one: whole or not at all, never
/// over a log, one build at a time, and the log's schema refused to every opener meanwhile.
/// (An import killed mid-copy, and run again: `PostgresImportInterruptionTests`.)
@Suite(.enabled(if: !TestDatabase.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct StagingSchemaTests {
    let database: TestDatabase
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    init() throws { database = try TestDatabase() }

    func events(_ range: ClosedRange<UInt64>) -> [RecordedEvent] {
        range.map { sequence in
            RecordedEvent(
                sequence: sequence, time: t0.adding(seconds: Int64(sequence)), correlationId: "cmd-\(sequence)",
                causationId: nil, event: .workItemAssigned(WorkItemAssigned(workItemId: "item-\(sequence)")))
        }
    }

    /// Given no log, when a build writes and then throws, then neither the log's schema nor the
    /// staging schema is there; when a build writes and returns, then the log holds what it
    /// wrote (events, checkpoints, snapshot) and the staging schema is gone.
    @Test func aBuildMovesIntoPlaceWholeOrNotAtAll() async throws {
        defer { Task { await database.drop() } }
        let location = try database.location
        struct Broken: Error {}
        #expect(throws: Broken.self) {
            try PostgresStagingSchema.build(location) { store in
                try store.append(AppendBatch(events: events(1...3)))
                throw Broken()
            }
        }
        #expect(try await database.schemas() == [])

        let built = try PostgresStagingSchema.build(location) { store in
            try store.append(AppendBatch(events: events(1...3)))
            try store.append(AppendBatch(
                events: events(4...5), checkpoints: ["containers": 5], snapshot: StoredSnapshot(sequence: 5, bytes: [1])))
            return try store.lastSequence()
        }
        #expect(built == 5)
        #expect(try await database.schemas() == [database.schema])
        let log = try PostgresEventLog(location, options: .init(readOnly: true))
        defer { log.close() }
        #expect(try log.read(after: 0, limit: 100) == events(1...5))
        #expect(try log.checkpoints() == ["containers": 5])
        #expect(try log.latestSnapshot() == StoredSnapshot(sequence: 5, bytes: [1]))
    }

    /// Given a build under way, then opening the log (to write, as an engine does, or to read)
    /// is refused as `missing`, naming the import and what to do, and creates nothing; a second
    /// build into the same schema is refused as `locked`. Given a staging schema left behind,
    /// then the next build drops it, says so, and starts afresh.
    @Test func whileABuildRunsTheLogIsRefusedAndSoIsASecondBuild() async throws {
        defer { Task { await database.drop() } }
        let location = try database.location
        try PostgresStagingSchema.build(location) { store in
            try store.append(AppendBatch(events: events(1...2)))
            // Writing first: had it created the log's tables, the read would open them.
            for readOnly in [false, true] {
                do {
                    let log = try PostgresEventLog(location, options: .init(readOnly: readOnly))
                    log.close()
                    Issue.record("opened (read-only: \(readOnly)) while an import builds it")
                } catch let error as StoreError {
                    #expect(error.code == .missing)
                    #expect(error.message.contains("an import into schema '\(database.schema)' is running or was broken off"), "\(error)")
                    #expect(error.message.contains("run `shiftlog import` into it again to finish it"), "\(error)")
                }
            }
            do {
                try PostgresStagingSchema.build(location) { _ in _ = Issue.record("a second build ran") }
                Issue.record("a second build into the same schema was not refused")
            } catch let error as StoreError {
                #expect(error.code == .locked, "\(error)")
                #expect(error.message.contains("another import into schema '\(database.schema)' is running"), "\(error)")
            }
        }
        var log = try PostgresEventLog(location, options: .init(readOnly: true))
        #expect(try log.read(after: 0, limit: 10) == events(1...2))
        log.close()

        // A staging schema left behind (as by an import killed mid-copy) over an empty log.
        try await database.execute("DROP SCHEMA \"\(database.schema)\" CASCADE")
        try PostgresEventLog(location).close()
        try await database.execute("CREATE SCHEMA \"\(database.schema)-importing\"")
        try await database.execute("CREATE TABLE \"\(database.schema)-importing\".events (sequence bigint)")
        var notices: [String] = []
        try PostgresStagingSchema.build(location, notice: { notices.append($0) }) { try $0.append(AppendBatch(events: events(1...3))) }
        #expect(notices == ["removed schema '\(database.schema)-importing', left by an import into \(location) that did not finish"])
        #expect(try await database.schemas() == [database.schema])
        log = try PostgresEventLog(location, options: .init(readOnly: true))
        #expect(try log.read(after: 0, limit: 10) == events(1...3))
        log.close()
    }

    /// Given an empty log in the schema, then a build replaces it. Given a log that gains an
    /// event while the build runs, or a schema of foreign tables, then the rename is refused as
    /// `conflict`: what is there is left as it is, and the staging schema is dropped.
    @Test func theRenameReplacesNothingButAnEmptyLog() async throws {
        defer { Task { await database.drop() } }
        let location = try database.location
        try PostgresEventLog(location).close()
        try PostgresStagingSchema.build(location) { try $0.append(AppendBatch(events: events(1...4))) }
        var log = try PostgresEventLog(location, options: .init(readOnly: true))
        #expect(try log.lastSequence() == 4)
        log.close()

        // A log written while the build runs: left as it is.
        try await database.execute("DROP SCHEMA \"\(database.schema)\" CASCADE")
        let other = try PostgresEventLog(location)
        defer { other.close() }
        do {
            try PostgresStagingSchema.build(location) { store in
                try store.append(AppendBatch(events: events(1...4)))
                try other.append(AppendBatch(events: events(1...1)))
            }
            Issue.record("a build replaced a log holding an event")
        } catch let error as StoreError {
            #expect(error.code == .conflict, "\(error)")
            #expect(error.message.contains("came to hold a log while the import ran"), "\(error)")
        }
        #expect(try await database.schemas() == [database.schema])
        log = try PostgresEventLog(location, options: .init(readOnly: true))
        #expect(try log.read(after: 0, limit: 10) == events(1...1))
        log.close()

        // Tables that are not a log: left as they are.
        try await database.execute("DROP SCHEMA \"\(database.schema)\" CASCADE")
        try await database.execute("CREATE SCHEMA \"\(database.schema)\"")
        try await database.execute("CREATE TABLE \"\(database.schema)\".notes (text text)")
        do {
            try PostgresStagingSchema.build(location) { try $0.append(AppendBatch(events: events(1...2))) }
            Issue.record("a build replaced foreign tables")
        } catch let error as StoreError {
            #expect(error.code == .conflict, "\(error)")
        }
        #expect(try await database.schemas() == [database.schema])
        #expect(try await database.texts("SELECT tablename::text FROM pg_tables WHERE schemaname = '\(database.schema)'") == ["notes"])
    }
}
