import CLMDB
import Synchronization

/// What a process does when LMDB's own consistency check fails inside a call.
///
/// LMDB does not checksum its pages. On a damaged `data.mdb` some of its internal assertions
/// fail (`mdb.c`: `IS_LEAF(mp)` in `mdb_cursor_next`, the checks of `mdb_cursor_sibling`…), and
/// a failed assertion calls the environment's assert callback, then prints the message and
/// calls `abort()`: the process dies of SIGABRT in the middle of a C call, with no way to
/// unwind to Swift. Every environment the store opens registers a callback
/// (`mdb_env_set_assert`) that hands the folder and LMDB's message to the handler set here.
/// With no handler (the default, for an embedding program) LMDB aborts as before. A tool
/// sets one that writes one line and ends the process with `_exit`, so that a damaged file is
/// an exit status, never a signal.
///
/// The handler runs on the thread of the failed call, inside LMDB, possibly with LMDB's
/// writer mutex held: it must not return and must not touch the log again. Nothing of an
/// unfinished write transaction reaches the file (LMDB commits by writing a meta page last).
public enum LMDBAssertionFailure {
    /// Called with the folder of the environment and LMDB's message (`mdb.c:5921: Assertion
    /// 'IS_LEAF(mp)' failed in mdb_cursor_next()`); it must end the process.
    public typealias Handler = @Sendable (_ folder: String, _ message: String) -> Never

    private static let handler = Mutex<Handler?>(nil)

    /// Sets the handler for every environment, open now or opened later; `nil` restores
    /// LMDB's own behaviour (print the message, `abort()`).
    public static func handle(with handler: Handler?) {
        self.handler.withLock { $0 = handler }
    }

    /// The callback every environment registers. A C function: no captures.
    static let callback: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void = { env, message in
        guard let handler = LMDBAssertionFailure.handler.withLock({ $0 }) else { return }  // LMDB aborts
        var path: UnsafePointer<CChar>?
        if let env { _ = mdb_env_get_path(env, &path) }
        handler(path.map { String(cString: $0) } ?? "?", message.map { String(cString: $0) } ?? "an assertion failed")
    }
}
