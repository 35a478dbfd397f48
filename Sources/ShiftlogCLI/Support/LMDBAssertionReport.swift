#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShiftlogStore

/// Turns a failed LMDB assertion (LMDB checking its own pages while reading or writing a
/// damaged `data.mdb`) into one line on standard error and exit status 65, instead of the
/// SIGABRT LMDB would raise.
///
/// LMDB calls the assert callback and then `abort()`s, so the handler never returns: it writes
/// `shiftlog: <folder>/data.mdb is damaged (LMDB: <LMDB's message>); restore it from a copy`
/// and calls `_exit`. It is not a signal handler, so it may build its line; `_exit` leaves
/// without running anything else (no `atexit` handler, no flush of a buffered write that
/// might be half done). A write transaction in progress is lost whole: LMDB writes its meta
/// page last, so the file still holds the last committed state.
enum LMDBAssertionReport {
    /// Reports every LMDB assertion of this process from now on (idempotent).
    static func install() {
        LMDBAssertionFailure.handle { folder, message in
            let line = Array("shiftlog: \(folder)/data.mdb is damaged (LMDB: \(message)); restore it from a copy\n".utf8)
            line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
            _exit(ExitStatus.dataError)
        }
    }
}
