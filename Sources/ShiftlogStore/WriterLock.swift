import Foundation
import Synchronization

/// One process's claim to write a log folder: an exclusive `flock` on `writer.lock` in the
/// folder, which holds the claimant's pid, for as long as the log is open for writing.
///
/// LMDB serialises write transactions across processes, but not *writers*: a second engine
/// on the same folder would decide against a stale state and its reconciliation would remove
/// the first one's containers. The lock refuses it at open instead. The kernel drops the lock
/// when the holder exits, however it exits, so a crash never leaves a folder locked. The
/// file is never deleted (deleting it would race with the next opener). Read-only opens do
/// not take it.
final class WriterLock: Sendable {
    static let fileName = "writer.lock"
    /// The open descriptor holding the lock; -1 once released.
    private let descriptor: Mutex<Int32>

    /// Takes the lock on the folder at `folder`, or refuses naming the holder.
    init(folder: String) throws(StoreError) {
        let path = folder + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(.lmdb, "\(path): cannot open the writer lock: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.holder(fd)
            close(fd)
            if code == EWOULDBLOCK {
                throw StoreError(
                    .locked,
                    "\(folder) is already open for writing by process \(holder.map(String.init) ?? "(unknown pid)")"
                        + " (it holds \(Self.fileName)); only one engine may write a log at a time")
            }
            throw StoreError(.lmdb, "\(path): cannot lock: \(String(cString: strerror(code)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = Mutex(fd)
    }

    deinit { release() }

    /// Gives the lock up (closing the descriptor drops it); idempotent.
    func release() {
        let fd = descriptor.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    /// The pid written in the lock file, if it holds one.
    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
