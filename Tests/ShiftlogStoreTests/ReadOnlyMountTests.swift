import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

/// A copy of a log whose `lock.mdb` cannot be written (here: the folder on a read-only bind
/// mount, which root cannot write either) opens read-only without the lock file, instead of
/// failing every command with "Read-only file system" or "Permission denied".
@Suite struct ReadOnlyMountTests {
    @Test func aLogOnAReadOnlyMountOpensWithoutItsLockFile() throws {
        let base = NSTemporaryDirectory() + "shiftlog-ro-\(UUID().uuidString)"
        let source = base + "/source"
        let mounted = base + "/mounted"
        try FileManager.default.createDirectory(atPath: mounted, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let writer = try LMDBEventLog(path: source)
        let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!
        try writer.append(AppendBatch(events: (1...5).map {
            RecordedEvent(sequence: $0, time: t0, correlationId: "c", causationId: nil,
                event: .workItemAssigned(WorkItemAssigned(workItemId: "item-\($0)")))
        }))
        writer.close()
        #expect(FileManager.default.fileExists(atPath: source + "/lock.mdb"))

        try DiskFullTests.shell("mount --bind '\(source)' '\(mounted)' && mount -o remount,bind,ro '\(mounted)'")
        defer { _ = try? DiskFullTests.shell("umount '\(mounted)'") }
        let reader = try LMDBEventLog(path: mounted, options: .init(readOnly: true))
        #expect(reader.isLockless)
        #expect(try reader.lastSequence() == 5)
        #expect(try reader.read(after: 0, limit: 10).count == 5)
    }
}
