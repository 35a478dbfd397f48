import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

/// A process killed inside a read transaction leaves its slot in LMDB's reader table, which
/// pins the pages of that old version while any process keeps the log open. (When nobody
/// does, LMDB resets the table at the next open by itself.) The log clears such slots when it
/// opens and at each snapshot.
@Suite struct StaleReaderTests {
    let folder = NSTemporaryDirectory() + "shiftlog-stale-reader-\(UUID().uuidString)"
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    private func fill(_ log: LMDBEventLog) throws {
        // Enough that dumping it fills a pipe many times over.
        try log.append(AppendBatch(events: (1...5_000).map { sequence in
            RecordedEvent(
                sequence: sequence, time: t0, correlationId: "cmd-\(sequence)", causationId: nil,
                event: .workItemAssigned(WorkItemAssigned(workItemId: "item-\(sequence)")))
        }))
    }

    /// mdb_dump opens a read transaction, then writes into a pipe nobody drains: once its
    /// first bytes arrive, it is inside the transaction, and stays blocked there.
    private func readerInsideATransaction() throws -> ChildProcess {
        let reader = try ChildProcess("/usr/bin/mdb_dump", ["-a", folder])
        #expect(reader.read(16).count == 16)
        return reader
    }

    @Test func aReaderKilledInsideATransactionIsClearedAtTheNextOpen() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try { let log = try LMDBEventLog(path: folder); try fill(log); log.close() }()
        let keeper = try readerInsideATransaction()  // another process keeps the log open
        let victim = try readerInsideATransaction()
        let victimPid = victim.process.processIdentifier
        victim.kill()

        let log = try LMDBEventLog(path: folder)
        #expect(log.staleReadersClearedAtOpen == 1)
        #expect(!log.readerProcessIDs().contains(victimPid))
        #expect(log.readerProcessIDs().contains(keeper.process.processIdentifier))
        keeper.kill()
    }

    @Test func aReaderKilledWhileTheLogIsOpenIsClearedAtTheNextSnapshot() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try LMDBEventLog(path: folder)
        try fill(log)
        let victim = try readerInsideATransaction()
        let victimPid = victim.process.processIdentifier
        victim.kill()
        #expect(log.readerProcessIDs().contains(victimPid))  // stale: its pages stay pinned

        try log.append(AppendBatch(checkpoints: ["containers": 1]))
        #expect(log.readerProcessIDs().contains(victimPid))  // not on every write
        try log.append(AppendBatch(snapshot: StoredSnapshot(sequence: 5_000, bytes: [1, 2, 3])))
        #expect(!log.readerProcessIDs().contains(victimPid))
    }
}
