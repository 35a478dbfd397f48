import Foundation
@testable import ShiftlogCore
@testable import ShiftlogPostgres
import ShiftlogStore
import Testing

/// The PostgreSQL store on a real server: what the LMDB store's tests check, plus what sharing
/// adds (a conditional append that only one writer can win).
@Suite(.enabled(if: !TestDatabase.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct PostgresEventLogTests {
    let database: TestDatabase
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    init() throws { database = try TestDatabase() }

    func event(_ sequence: UInt64, _ item: String = "item") -> RecordedEvent {
        RecordedEvent(
            sequence: sequence, time: t0.adding(seconds: Int64(sequence)), correlationId: "cmd-\(sequence)",
            causationId: sequence.isMultiple(of: 2) ? "seq:\(sequence - 1)" : nil,
            event: .workItemAssigned(WorkItemAssigned(workItemId: "\(item)-\(sequence)")))
    }

    @Test func eventsCheckpointsAndSnapshotsRoundTrip() async throws {
        defer { Task { await database.drop() } }
        let log = try PostgresEventLog(url: database.url)
        defer { log.close() }
        #expect(try log.lastSequence() == 0)
        let events = (1...10).map { event($0) }
        try log.append(AppendBatch(events: Array(events[0..<4])))
        try log.append(AppendBatch(
            events: Array(events[4...]), checkpoints: ["containers": 7, "metrics": 10],
            snapshot: StoredSnapshot(sequence: 10, bytes: [1, 2, 3])))
        #expect(try log.read(after: 0, limit: 100) == events)
        #expect(try log.read(after: 4, limit: 3) == Array(events[4..<7]))
        #expect(try log.lastSequence() == 10)
        #expect(try log.eventCount() == 10)
        #expect(try log.checkpoints() == ["containers": 7, "metrics": 10])
        #expect(try log.checkpoint(for: "other") == nil)
        #expect(try log.latestSnapshot() == StoredSnapshot(sequence: 10, bytes: [1, 2, 3]))
        // Checkpoints alone (no event) are stored too.
        try log.append(AppendBatch(checkpoints: ["containers": 10]))
        #expect(try log.checkpoint(for: "containers") == 10)
    }

    /// Two writers that both mean to write event 1: exactly one wins; the other is told
    /// `conflict` and nothing of its batch (events, checkpoints, snapshot) is stored.
    /// Given a store opened with an election interval (`LEADER_INTERVAL_MS`), then its
    /// elections try, check and time out on that interval's schedule.
    @Test func theElectionTakesTheStoresInterval() throws {
        defer { Task { await database.drop() } }
        let log = try PostgresEventLog(url: database.url, options: .init(election: .init(interval: .milliseconds(250))))
        defer { log.close() }
        let election = try #require(log.leaderElection(instance: "a") as? PostgresLeaderElection)
        #expect(election.options.retryInterval == .milliseconds(250))
        #expect(election.options.checkInterval == .milliseconds(250))
        #expect(election.options.checkTimeout == .seconds(1), "at least a second, however short the interval")
        #expect(PostgresLeaderElection.Options(interval: .seconds(3)).checkTimeout == .seconds(6))
        let plain = try PostgresEventLog(url: database.url)
        defer { plain.close() }
        let byDefault = try #require(plain.leaderElection(instance: "b") as? PostgresLeaderElection)
        #expect(byDefault.options.retryInterval == .seconds(1) && byDefault.options.checkTimeout == .seconds(2))
    }

    @Test func onlyOneWriterCanWriteASequence() async throws {
        defer { Task { await database.drop() } }
        let first = try PostgresEventLog(url: database.url)
        let second = try PostgresEventLog(url: database.url)
        defer { first.close(); second.close() }
        try first.append(AppendBatch(events: [event(1, "a"), event(2, "a")]))
        #expect(throws: StoreError.self) {
            try second.append(AppendBatch(
                events: [event(1, "b")], checkpoints: ["containers": 1], snapshot: StoredSnapshot(sequence: 1, bytes: [9])))
        }
        do {
            try second.append(AppendBatch(events: [event(2, "b")]))
            Issue.record("an append after the wrong sequence was stored")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
        }
        #expect(try second.read(after: 0, limit: 10).map(\.event) == [event(1, "a"), event(2, "a")].map(\.event))
        #expect(try second.checkpoints().isEmpty)
        #expect(try second.latestSnapshot() == nil)
        // The one that follows the stored tail is accepted.
        try second.append(AppendBatch(events: [event(3, "b")]))
        #expect(try first.lastSequence() == 3)
    }

    /// Many writers racing for the next sequence: every sequence is written once, none is
    /// skipped, and the losers are told so.
    @Test func racingWritersLeaveAGapFreeLog() async throws {
        defer { Task { await database.drop() } }
        let logs = try (0..<4).map { _ in try PostgresEventLog(url: database.url) }
        defer { for log in logs { log.close() } }
        let won = await withTaskGroup(of: Int.self) { group in
            for (index, log) in logs.enumerated() {
                group.addTask {
                    var won = 0
                    for _ in 0..<25 {
                        guard let last = try? log.lastSequence() else { continue }
                        do {
                            try log.append(AppendBatch(events: [self.event(last + 1, "w\(index)")]))
                            won += 1
                        } catch {}
                    }
                    return won
                }
            }
            return await group.reduce(0, +)
        }
        let stored = try logs[0].read(after: 0, limit: 1_000)
        #expect(stored.count == won)
        #expect(stored.map(\.sequence) == Array(1...UInt64(won)))
    }

    /// A record whose bytes were changed in the table fails its checksum, naming the event.
    @Test func aDamagedRecordIsRefused() async throws {
        defer { Task { await database.drop() } }
        let log = try PostgresEventLog(url: database.url)
        defer { log.close() }
        try log.append(AppendBatch(events: (1...3).map { event($0) }))
        try await database.execute(
            "UPDATE \"\(database.schema)\".events SET record = set_byte(record, 20, get_byte(record, 20) # 1) WHERE sequence = 2")
        do {
            _ = try log.read(after: 0, limit: 10)
            Issue.record("a damaged record was read")
        } catch let error as StoreError {
            #expect(error.code == .corrupt)
            #expect(error.message.contains("event 2"))
        }
    }

    @Test func aSchemaOfOtherTablesIsRefused() async throws {
        defer { Task { await database.drop() } }
        try await database.execute("CREATE SCHEMA \"\(database.schema)\"; ")
        try await database.execute("CREATE TABLE \"\(database.schema)\".orders (id int)")
        do {
            _ = try PostgresEventLog(url: database.url)
            Issue.record("a foreign schema was opened")
        } catch {
            #expect(error.code == .foreign)
            #expect(error.message.contains("orders"))
        }
    }

    @Test func aNewerSchemaVersionIsRefused() async throws {
        defer { Task { await database.drop() } }
        try PostgresEventLog(url: database.url).close()
        try await database.execute("UPDATE \"\(database.schema)\".meta SET value = '99' WHERE key = 'schemaVersion'")
        do {
            _ = try PostgresEventLog(url: database.url)
            Issue.record("a newer schema was opened")
        } catch {
            #expect(error.code == .newerFormat)
            #expect(error.message.contains("99"))
        }
    }

    /// Read-only, nothing is created: an empty schema is `missing`, and writes are refused.
    @Test func readOnlyCreatesNothingAndWritesNothing() async throws {
        defer { Task { await database.drop() } }
        do {
            _ = try PostgresEventLog(url: database.url, options: .init(readOnly: true))
            Issue.record("a missing log was opened read-only")
        } catch {
            #expect(error.code == .missing)
        }
        try PostgresEventLog(url: database.url).close()
        let log = try PostgresEventLog(url: database.url, options: .init(readOnly: true))
        #expect(throws: StoreError.self) { try log.append(AppendBatch(events: [event(1)])) }
        #expect(try log.lastSequence() == 0)
    }

    /// A server that does not answer is `unavailable`, with the URL (and no password) named.
    @Test func anUnreachableServerIsUnavailable() throws {
        do {
            _ = try PostgresEventLog(url: "postgres://shiftlog:secret@127.0.0.1:1/nowhere")
            Issue.record("opened a log on a closed port")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("127.0.0.1:1/nowhere"))
            #expect(!error.message.contains("secret"))
        }
    }

    @Test func urlsAreCheckedPartByPart() {
        for (url, problem) in [
            ("mysql://x@h/db", "is not a PostgreSQL URL"), ("postgres:///db", "names no host"),
            ("postgres://u:pw@h/db?schema=Bad-Name", "schema 'Bad-Name'"), ("postgres://u@h/db?sslmode=x", "unknown URL parameter"),
            ("postgres://u:pw@h:99999/db", "port 99999 is out of range"),
            // An '@' before the '://' (found by scripts/fuzz StoreURL: it used to trap).
            ("p@s://postgres://h/db", "is not a PostgreSQL URL"),
        ] {
            do {
                _ = try PostgresLocation(url: url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.message.contains(problem), "\(error.message)")
                #expect(!error.message.contains("pw"))
            }
        }
        let location = try? PostgresLocation(url: "postgres://app:s3cret@db.internal:6543/orchestrator?schema=blue")
        #expect(location?.description == "postgres://app@db.internal:6543/orchestrator?schema=blue")
        #expect(location?.password == "s3cret")
        // Parts with URL syntax in them print escaped, so the description reads back the same.
        let odd = try? PostgresLocation(url: "postgres://a%40b:pw@[::1]:6543/my%3Fdb?schema=x")
        #expect(odd?.user == "a@b" && odd?.database == "my?db")
        let again = odd.flatMap { try? PostgresLocation(url: $0.description) }
        #expect(again?.user == odd?.user && again?.host == odd?.host && again?.database == odd?.database, "\(odd?.description ?? "")")
        #expect(again?.port == 6543 && again?.schema == "x" && again?.password == nil)
    }
}
