import Foundation
import ShiftlogCore
import ShiftlogStore
import Testing

/// One writer per folder: a second open for writing is refused by name, in this process or
/// another; read-only opens are not.
@Suite struct WriterLockTests {
    let folder = NSTemporaryDirectory() + "shiftlog-writer-lock-\(UUID().uuidString)"

    @Test func aSecondWriterInThisProcessIsRefusedNamingTheFolderAndThePid() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try LMDBEventLog(path: folder)
        let error = #expect(throws: StoreError.self) { try LMDBEventLog(path: folder) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains(folder) == true)
        #expect(error?.message.contains("process \(getpid())") == true, "\(error?.message ?? "")")

        // Readers are welcome.
        let reader = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        #expect(try reader.lastSequence() == 0)

        // Closing gives the folder up, and refuses the closed log's appends.
        first.close()
        let second = try LMDBEventLog(path: folder)
        #expect(throws: StoreError.self) { try first.append(AppendBatch(checkpoints: ["x": 1])) }
        try second.append(AppendBatch(checkpoints: ["x": 1]))
    }

    @Test func aWriterInAnotherProcessIsRefusedUntilItDies() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try LMDBEventLog(path: folder).close()
        let lock = folder + "/writer.lock"
        // flock(1) holds writer.lock as an engine would (`-o`: itself, not its child), and
        // its child writes the holder's pid there: flock's, its parent's.
        let holder = try ChildProcess(
            "/usr/bin/flock", ["-x", "-o", lock, "sh", "-c", "echo $PPID > '\(lock)'; echo $PPID; exec sleep 600"])
        let pid = holder.readLine()
        #expect(pid == "\(holder.process.processIdentifier)")

        let error = #expect(throws: StoreError.self) { try LMDBEventLog(path: folder) }
        #expect(error?.code == .locked)
        #expect(error?.message == "\(folder) is already open for writing by process \(pid) (it holds writer.lock); only one engine may write a log at a time")
        #expect(try LMDBEventLog(path: folder, options: .init(readOnly: true)).lastSequence() == 0)

        // The kernel drops the lock with its holder, however it ends.
        holder.killChildren()  // first: `sleep` holds its output pipe open
        holder.kill()
        _ = try LMDBEventLog(path: folder)
    }
}
