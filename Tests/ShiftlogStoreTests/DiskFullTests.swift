import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

/// A log on a small tmpfs that fills up: the append that does not fit fails with a message
/// naming the folder and the full disk, nothing stored before is lost, and once there is room
/// again the same log takes appends. (Needs root to mount the tmpfs, as CI and the developers'
/// machines run.)
@Suite struct DiskFullTests {
    func event(_ sequence: UInt64) -> RecordedEvent { bulkyEvent(sequence) }

    @Test func aFullDiskFailsTheAppendNamingTheFolderAndLosesNothing() throws {
        let mountPoint = NSTemporaryDirectory() + "shiftlog-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        try Self.shell("mount -t tmpfs -o size=3m tmpfs '\(mountPoint)'")
        defer { _ = try? Self.shell("umount '\(mountPoint)'") }
        let filler = mountPoint + "/filler"
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: filler))

        let folder = mountPoint + "/log"
        let log = try LMDBEventLog(path: folder)
        var stored: UInt64 = 0
        var failure: (any Error)?
        while failure == nil, stored < 10_000 {
            do {
                try log.append(AppendBatch(events: (stored + 1...stored + 20).map(event)))
                stored += 20
            } catch {
                failure = error
            }
        }
        let error = try #require(failure as? StoreError, "the disk never filled (\(stored) events stored)")
        #expect(error.message.hasPrefix(folder + ": "), "\(error.message)")
        #expect(error.message.contains("is the disk full?"), "\(error.message)")
        #expect(stored > 0)
        // Everything acknowledged before is there, and nothing of the failed batch.
        #expect(try log.lastSequence() == stored)
        #expect(try log.read(after: 0, limit: 100_000).map(\.sequence) == Array(1...stored))

        // Room again: the same open log carries on.
        try FileManager.default.removeItem(atPath: filler)
        try log.append(AppendBatch(events: (stored + 1...stored + 20).map(event)))
        #expect(try log.lastSequence() == stored + 20)
        log.close()
    }

    @discardableResult
    static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "`\(command)` exited \(process.terminationStatus)"])
        }
        return process.terminationStatus
    }
}
