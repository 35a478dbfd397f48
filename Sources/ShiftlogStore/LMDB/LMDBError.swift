import CLMDB

/// A failed LMDB call: the operation, LMDB's return code and its message.
public struct LMDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, e.g. `mdb_txn_commit`.
    public var operation: String
    /// LMDB's return code (an `MDB_*` code or an `errno`).
    public var code: Int32

    /// LMDB's text for the code.
    public var message: String { String(cString: mdb_strerror(code)) }
    /// `<operation> failed: <message> (<code>)`.
    public var description: String { "\(operation) failed: \(message) (\(code))" }

    /// The map is full: the store grows it and retries.
    public var isMapFull: Bool { code == MDB_MAP_FULL }
    /// Another process grew the map: adopt the new size and retry.
    public var isMapResized: Bool { code == MDB_MAP_RESIZED }
    /// A code that only a damaged file gives: a page of the wrong type (`MDB_CORRUPTED`), a
    /// page number past the end (`MDB_PAGE_NOTFOUND`), a tree deeper than the cursor stack
    /// (`MDB_CURSOR_FULL`), a database record whose flags do not match (`MDB_INCOMPATIBLE`).
    public var isDamage: Bool { [MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_CURSOR_FULL, MDB_INCOMPATIBLE].contains(code) }
}

/// Turns an LMDB return code into a thrown ``LMDBError``. Every C call goes through here.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    guard code == MDB_SUCCESS else { throw LMDBError(operation: operation(), code: code) }
}
