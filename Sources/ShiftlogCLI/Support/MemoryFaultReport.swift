#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a memory fault while reading a damaged `data.mdb` into one line on standard error
/// and exit status 65, instead of a crash.
///
/// LMDB does not checksum its pages and follows the page numbers it finds without checking
/// them, so a damaged page deep in the tree makes it read outside the mapped file (SIGSEGV,
/// or SIGBUS past the end of the file). Opening checks what is cheap (the meta pages, the file
/// length) and the store checks every value's length, but proving every page sound would be a
/// walk of the whole file at every open. So the tool, which only reads, catches the fault:
/// the handler runs on an alternate stack, writes a line prepared in advance and calls
/// `_exit` — nothing else, all async-signal-safe. `serve` watches only while it opens and
/// folds its log (``stop()`` then), since a later fault in a server need not be the file's.
/// LMDB's own assertions are ``LMDBAssertionReport``'s.
enum MemoryFaultReport {
    /// The line the handler writes, prepared before the log is read (no allocation in a handler).
    nonisolated(unsafe) private static var line: UnsafeMutableBufferPointer<UInt8>?
    nonisolated(unsafe) private static var installed = false
    /// The actions the watch replaced (Swift's backtracer's, say), put back by ``stop()``.
    nonisolated(unsafe) private static var replaced: [Int32: sigaction] = [:]

    /// Reports a memory fault from now on as damage of the `data.mdb` in `folder`. Call it
    /// before the log is opened, on the main thread, before other threads read the log.
    static func watch(folder: String) {
        let text = "shiftlog: \(folder)/data.mdb is damaged (memory fault while reading it); restore it from a copy\n"
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        line = buffer  // the previous line, if any, is kept: a handler might be reading it
        guard !installed else { return }
        installed = true
        // An alternate stack, so the handler runs even if the fault is on an exhausted stack.
        let stackSize = 64 * 1024
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        stack.ss_size = stackSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = MemoryFaultReport.handle
        #else
        action.__sigaction_u.__sa_handler = MemoryFaultReport.handle
        #endif
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        for signal in [SIGSEGV, SIGBUS] {
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            replaced[signal] = previous
        }
    }

    /// Ends the watch: a memory fault is again what it was before ``watch(folder:)`` (`serve`
    /// watches only while it opens and folds the log). Call it on the thread that watched.
    static func stop() {
        guard installed else { return }
        for (signal, var previous) in replaced { sigaction(signal, &previous, nil) }
        replaced = [:]
        installed = false
    }

    private static let handle: @convention(c) (Int32) -> Void = { _ in
        if let line = MemoryFaultReport.line {
            _ = write(2, line.baseAddress, line.count)
        }
        _exit(65)
    }
}
