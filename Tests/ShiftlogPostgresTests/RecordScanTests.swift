import Foundation
@testable import ShiftlogCore
import ShiftlogPostgres
import ShiftlogStore
import Testing

/// `scanRecords` hands back the very bytes each store holds: for the same events, PostgreSQL's
/// keys and records equal LMDB's, across its batch boundaries, and `StoredRecord` decodes them.
@Suite(.enabled(if: !TestDatabase.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct RecordScanTests {
    let database: TestDatabase
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    init() throws { database = try TestDatabase() }

    private func records(of store: any EventStore, after sequence: UInt64 = 0, stopAt limit: Int = .max) throws -> [[UInt8]] {
        var found: [[UInt8]] = []
        try store.scanRecords(after: sequence) { key, record in
            found.append(Array(key) + Array(record))
            return found.count < limit
        }
        return found
    }

    @Test func postgresHandsBackTheRecordsLMDBHolds() async throws {
        defer { Task { await database.drop() } }
        let folder = NSTemporaryDirectory() + "shiftlog-scan-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let events = (1...5_000).map { sequence in
            RecordedEvent(
                sequence: UInt64(sequence), time: t0.adding(seconds: Int64(sequence)), correlationId: "cmd-\(sequence)",
                causationId: sequence.isMultiple(of: 3) ? "seq:\(sequence - 1)" : nil,
                event: .workItemAssigned(WorkItemAssigned(workItemId: "item-\(sequence)")))
        }
        let lmdb = try LMDBEventLog(path: folder)
        let postgres = try PostgresEventLog(url: database.url)
        defer { lmdb.close(); postgres.close() }
        for store in [lmdb, postgres] as [any EventStore] {
            try store.append(AppendBatch(events: events, snapshot: StoredSnapshot(sequence: 5_000, bytes: [1, 2])))
        }
        let stored = try records(of: lmdb)
        #expect(stored.count == 5_000)
        #expect(try records(of: postgres) == stored)
        #expect(try records(of: postgres, after: 4_090, stopAt: 10) == Array(stored[4_090..<4_100]))
        #expect(try records(of: postgres, after: 5_000).isEmpty)
        #expect(try postgres.snapshots() == lmdb.snapshots())
        #expect(try postgres.eventCount() == 5_000)
        // Each decodes, checksum and all, to the event appended.
        var decoded: [RecordedEvent] = []
        try postgres.scanRecords(after: 0) { key, record in
            decoded.append(try StoredRecord.decode(key: key, record))
            return true
        }
        #expect(decoded == events)
    }
}
