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
    /// The lock files this process holds now.
    private static let held = Mutex<Set<String>>([])
    private let path: String

    /// Takes the lock on the folder at `folder`, or refuses naming the holder.
    init(folder: String) throws(StoreError) {
        let path = folder + "/" + Self.fileName
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(.lmdb, "\(path): cannot open the writer lock: \(String(cString: strerror(errno)))")
        }
        if let code = Self.lock(fd, path: path) {
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
        Self.held.withLock { _ = $0.insert(path) }
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
        if fd >= 0 {
            Self.held.withLock { _ = $0.remove(path) }
            close(fd)
        }
    }

    /// Takes the lock. A lock that this process holds but no open log of it claims is a
    /// copy of a released descriptor in a child being spawned (between its fork and its exec,
    /// which closes it): it goes within moments, so that case is retried for up to 2 s
    /// instead of refusing the folder to the process that just closed it.
    /// Returns `nil` once locked, else the `errno` of the refusal.
    private static func lock(_ fd: Int32, path: String) -> Int32? {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return nil }
            let code = errno
            guard code == EWOULDBLOCK, holder(fd) == getpid(), !held.withLock({ $0.contains(path) }),
                ContinuousClock.now < deadline
            else { return code }
            usleep(1_000)
        }
    }

    /// The pid written in the lock file, if it holds one.
    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
