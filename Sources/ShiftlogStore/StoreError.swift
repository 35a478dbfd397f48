/// Why a Shiftlog database could not be opened or read. Each message names the file and what
/// is wrong with it, for a one-line error in a tool.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// No database at the path (opening read-only).
        case missing
        /// The path exists but is not an LMDB environment.
        case notLMDB
        /// An LMDB environment that Shiftlog did not write.
        case foreign
        /// A Shiftlog log written by a newer format version.
        case newerFormat
        /// A record fails its checksum or does not decode.
        case corrupt
        /// Sequence numbers are not contiguous.
        case sequenceGap
        /// The database is opened read-only and a write was attempted.
        case readOnly
        /// An LMDB call failed.
        case lmdb
        /// Another process (or another open log in this one) is writing the folder; the
        /// message names the folder and the holder's pid.
        case locked
        /// The log was closed for writing (``EventStore/close()``) and a write was attempted.
        case closed
        /// Another writer of a shared store appended the sequence this append meant to write:
        /// nothing of the append was stored; fold the newer events and decide again.
        case conflict
        /// The database server could not be reached or its connection broke; a write that
        /// failed this way was not stored.
        case unavailable
        /// The database server refused a request (the message carries its SQLSTATE).
        case database
        /// The map is full and cannot grow: it reached ``LMDBEventLog/Options/maximumMapSize``,
        /// or the system refused to map more. Nothing of the write was stored; the message
        /// names the folder and the size.
        case mapFull
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    init(_ error: LMDBError, path: String) {
        // ENOSPC, EDQUOT, or EIO from the commit's write or sync: on Linux a full disk often
        // surfaces as EIO at fsync.
        let hint = [28, 122, 5].contains(error.code)
            ? "; nothing of this write was stored — is the disk full? (`df -h \(path)`)" : ""
        self.init(.lmdb, "\(path): \(error.description)\(hint)")
    }
}
