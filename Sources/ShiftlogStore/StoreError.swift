/// Why a Shiftlog database could not be opened or read. Each message names the file and what
/// is wrong with it, for a one-line error in a tool.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. A struct over a private enum, as swift-nio's error codes
    /// are, so that a new code is not a breaking change: a `switch` over codes needs a `default`.
    /// Its description is the code's name (`missing`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case missing, notLMDB, foreign, newerFormat, corrupt, sequenceGap, readOnly, lmdb,
                locked, closed, conflict, unavailable, database, mapFull
        }
        private let value: Value

        /// No database at the path (opening read-only); or, in PostgreSQL, none yet because an
        /// import into the schema is running or was broken off (opening to write too).
        public static let missing = Code(value: .missing)
        /// The path exists but is not an LMDB environment.
        public static let notLMDB = Code(value: .notLMDB)
        /// An LMDB environment that Shiftlog did not write.
        public static let foreign = Code(value: .foreign)
        /// A Shiftlog log written by a newer format version.
        public static let newerFormat = Code(value: .newerFormat)
        /// A record fails its checksum or does not decode.
        public static let corrupt = Code(value: .corrupt)
        /// Sequence numbers are not contiguous.
        public static let sequenceGap = Code(value: .sequenceGap)
        /// The database is opened read-only and a write was attempted.
        public static let readOnly = Code(value: .readOnly)
        /// An LMDB call failed.
        public static let lmdb = Code(value: .lmdb)
        /// Another process (or another open log in this one) is writing the folder; the
        /// message names the folder and the holder's pid. In PostgreSQL: another import into
        /// the schema is running.
        public static let locked = Code(value: .locked)
        /// The log was closed for writing (``EventStore/close()``) and a write was attempted.
        public static let closed = Code(value: .closed)
        /// Another writer of a shared store appended the sequence this append meant to write:
        /// nothing of the append was stored; fold the newer events and decide again. (An
        /// import into PostgreSQL: the schema came to hold a log while it copied, and was left
        /// as it is.)
        public static let conflict = Code(value: .conflict)
        /// The database server could not be reached or its connection broke; a write that
        /// failed this way was not stored.
        public static let unavailable = Code(value: .unavailable)
        /// The database server refused a request (the message carries its SQLSTATE).
        public static let database = Code(value: .database)
        /// The map is full and cannot grow: it reached ``LMDBEventLog/Options/maximumMapSize``,
        /// or the system refused to map more. Nothing of the write was stored; the message
        /// names the folder and the size.
        public static let mapFull = Code(value: .mapFull)

        /// The code's name, e.g. `missing`: what messages and JSON show.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in one line for a person.
    public var message: String

    /// A failure with `code` and a one-line `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    init(_ error: LMDBError, path: String) {
        // ENOSPC, EDQUOT, or EIO from the commit's write or sync: on Linux a full disk often
        // surfaces as EIO at fsync.
        let hint = [28, 122, 5].contains(error.code)
            ? "; nothing of this write was stored — is the disk full? (`df -h \(path)`)" : ""
        self.init(.lmdb, "\(path): \(error.description)\(hint)")
    }
}
