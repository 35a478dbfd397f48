import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

/// Issue 22: every open cross-checks the handler checkpoints and the newest snapshot against
/// the last event (a damaged tree can hide events without any LMDB error); a log that fails
/// is `corrupt`, naming the folder and what disagrees, read-only or not.
@Suite struct CrossCheckTests {
    let folder = NSTemporaryDirectory() + "shiftlog-crosscheck-\(UUID().uuidString)"
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    func events(_ range: ClosedRange<UInt64>) -> [RecordedEvent] {
        range.map {
            RecordedEvent(
                sequence: $0, time: t0.adding(seconds: Int64($0)), correlationId: "cmd-\($0)", causationId: nil,
                event: .workItemAssigned(WorkItemAssigned(workItemId: "item-\($0)")))
        }
    }

    func openingFails(readOnly: Bool) -> StoreError? {
        do {
            _ = try LMDBEventLog(path: folder, options: .init(readOnly: readOnly))
            return nil
        } catch {
            return error
        }
    }

    @Test func aCheckpointAfterTheLastEventIsDamage() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let log = try LMDBEventLog(path: folder)
            try log.append(AppendBatch(events: events(1...3), checkpoints: ["containers": 7]))
            log.close()
        }
        for readOnly in [true, false] {
            let error = openingFails(readOnly: readOnly)
            #expect(error?.code == .corrupt)
            #expect(error?.message == "\(folder): data.mdb is damaged (the checkpoint of containers is at #7, after the last event #3); restore it from a copy")
        }
    }

    @Test func aSnapshotAfterTheLastEventIsDamage() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let log = try LMDBEventLog(path: folder)
            try log.append(AppendBatch(events: events(1...3), snapshot: StoredSnapshot(sequence: 9, bytes: [1, 2, 3])))
            log.close()
        }
        let error = openingFails(readOnly: true)
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("the newest snapshot is at #9, after the last event #3") == true, "\(error?.message ?? "")")
    }

    @Test func aConsistentLogOpens() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let log = try LMDBEventLog(path: folder)
            try log.append(AppendBatch(events: events(1...3), checkpoints: ["containers": 3], snapshot: StoredSnapshot(sequence: 3, bytes: [1])))
            log.close()
        }
        #expect(openingFails(readOnly: true) == nil)
        #expect(openingFails(readOnly: false) == nil)
    }
}
