import CLMDB
public import ShiftlogCore
import Foundation
import Synchronization

/// The event log, handler checkpoints and projection snapshots in one LMDB environment.
///
/// Named databases: `meta` (format marker and version), `events` (big-endian `UInt64`
/// sequence → event record, laid out as DESIGN.md's "Event log format" says),
/// `checkpoints` (handler name → sequence) and `snapshots` (sequence → checksummed
/// projection bytes). A folder that is not an LMDB environment, an
/// LMDB environment Shiftlog did not write, or a newer format is refused with a
/// ``StoreError`` that says which.
public final class LMDBEventLog: EventStore, Sendable {
    /// The marker stored under `meta/format`.
    public static let formatName = "shiftlog-event-log"
    /// The layout version this build writes and the highest it reads. Version 2 added binary
    /// payloads (record format 2) beside the JSON ones of version 1; a version 1 log opened for
    /// writing is marked 2 before anything is appended, so an older build refuses it by name
    /// instead of meeting records it cannot read.
    public static let formatVersion: UInt32 = 2
    /// Snapshots kept; older ones are deleted when a new one is written.
    static let snapshotsKept = 2

    /// How to open the folder.
    public struct Options: Sendable {
        /// Open for reading only: nothing is created, and writes are refused. When the folder
        /// has no `lock.mdb` (a copied `data.mdb`), it is opened without one, so that not even
        /// a lock file appears beside it.
        public var readOnly = false
        /// The initial map size in bytes; the map doubles whenever it fills.
        public var initialMapSize = 64 << 20
        /// The largest the map may grow to, in bytes (`nil`: no limit of Shiftlog's own; the
        /// map doubles until the system refuses to map more). A write that does not fit fails
        /// with ``StoreError`` `mapFull` naming the folder, storing nothing of itself; the log
        /// stays readable and takes the next write that fits. Opening again with a larger
        /// maximum lets it grow. A log whose file is already larger opens with its own size.
        public var maximumMapSize: Int?

        /// Options with every field given; `initialMapSize` is capped at `maximumMapSize`.
        public init(readOnly: Bool = false, initialMapSize: Int = 64 << 20, maximumMapSize: Int? = nil) {
            self.readOnly = readOnly
            self.initialMapSize = maximumMapSize.map { min(initialMapSize, $0) } ?? initialMapSize
            self.maximumMapSize = maximumMapSize
        }
    }

    /// The folder holding `data.mdb`.
    public let path: String
    let environment: LMDBEnvironment
    let eventsDB: MDB_dbi
    let metaDB: MDB_dbi
    let checkpointsDB: MDB_dbi
    let snapshotsDB: MDB_dbi
    /// The last sequence appended by this process: wakes in-process followers at once.
    private let appended = ProgressSignal()
    /// This log's claim to write the folder; `nil` when read-only.
    private let writerLock: WriterLock?
    private let closed = Atomic(false)
    /// Reader slots left by dead processes that opening cleared (`mdb_reader_check`).
    public let staleReadersClearedAtOpen: Int

    private static let databaseNames = ["meta", "events", "checkpoints", "snapshots"]

    /// Opens the log in the folder at `path`, creating it when writable and absent.
    ///
    /// Opening clears the reader slots of dead processes (a reader killed inside a read
    /// transaction keeps old pages from being reused until then); so does every snapshot.
    ///
    /// - Throws: ``StoreError``; `locked` when opening for writing a folder that another
    ///   open log (in this process or another) is writing.
    public init(path: String, options: Options = Options()) throws(StoreError) {
        self.path = path
        try Self.checkFolder(path, create: !options.readOnly)
        do {
            // Read-only, LMDB still writes its reader table in lock.mdb. A copy without one, or
            // whose lock.mdb cannot be written (another user's file, a read-only mount), is
            // opened without it: nothing is written to the folder at all.
            let lockFile = path + "/lock.mdb"
            let lockless = options.readOnly && (!FileManager.default.fileExists(atPath: lockFile) || access(lockFile, W_OK) != 0)
            do {
                environment = try LMDBEnvironment(
                    path: path, readOnly: options.readOnly, lockless: lockless, mapSize: options.initialMapSize,
                    maximumMapSize: options.maximumMapSize, databaseNames: Self.databaseNames)
            } catch where options.readOnly && !lockless && [EACCES, EROFS, EPERM].contains(error.code) {
                environment = try LMDBEnvironment(
                    path: path, readOnly: true, lockless: true, mapSize: options.initialMapSize,
                    databaseNames: Self.databaseNames)
            }
        } catch {
            switch error.code {
            case MDB_INVALID: throw StoreError(.notLMDB, "\(path): data.mdb is not an LMDB database file")
            case MDB_VERSION_MISMATCH: throw StoreError(.notLMDB, "\(path): written by an incompatible LMDB version")
            case ENOENT: throw StoreError(.missing, "\(path): no Shiftlog database here (no data.mdb)")
            default: throw StoreError(error, path: path)
            }
        }
        do {
            try Self.checkNotTruncated(environment, path: path)
            try LMDBMetaPages.check(folder: path)
            let missing = try environment.openDatabases(["meta"], create: false)
            if !missing.isEmpty {
                guard try environment.mainDatabaseEntries() == 0, !options.readOnly else {
                    throw StoreError(.foreign, "\(path): an LMDB database, but not a Shiftlog log (no 'meta' database)")
                }
            }
            // Only a new log gets its databases created: every log has had all four since the
            // first format, so one missing beside 'meta' is damage, never a reason to start an
            // empty history in an old file.
            let absent = try environment.openDatabases(Self.databaseNames, create: !options.readOnly && !missing.isEmpty)
            guard absent.isEmpty else {
                throw StoreError(.foreign, "\(path): not a Shiftlog log (missing databases: \(absent.joined(separator: ", ")))")
            }
        } catch let error as StoreError {
            throw error
        } catch let error as LMDBError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(.lmdb, "\(path): \(error)")
        }
        metaDB = environment.database("meta")
        eventsDB = environment.database("events")
        checkpointsDB = environment.database("checkpoints")
        snapshotsDB = environment.database("snapshots")
        writerLock = options.readOnly ? nil : try WriterLock(folder: path)
        // A read-only open may not be allowed to write the lock file; its reads still work.
        let cleared = try? environment.clearStaleReaders()
        guard cleared != nil || options.readOnly else {
            throw StoreError(.lmdb, "\(path): cannot check the reader table for dead readers (mdb_reader_check)")
        }
        staleReadersClearedAtOpen = cleared ?? 0
        do {
            try crossCheck()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.lmdb, "\(path): \(error)")
        }
        try checkFormat(writable: !options.readOnly)
        if let last = try? lastSequence() { appended.advance(to: last) }
    }

    // MARK: EventLog

    public func append(_ batch: AppendBatch) throws {
        guard !environment.readOnly else { throw StoreError(.readOnly, "\(path) is open read-only") }
        guard !closed.load(ordering: .acquiring) else { throw StoreError(.closed, "\(path) was closed for writing") }
        guard !batch.isEmpty else { return }
        let records = try batch.events.map { (BigEndian.bytes($0.sequence), try EventRecord.encode($0)) }
        let checkpoints = batch.checkpoints.map { (Array($0.key.utf8), BigEndian.bytes($0.value)) }
        let snapshot = batch.snapshot.map { (BigEndian.bytes($0.sequence), SnapshotFrame.frame($0.bytes)) }
        do {
            try write(records: records, checkpoints: checkpoints, snapshot: snapshot, first: batch.events.first)
        } catch let error as LMDBError {
            // Name the folder (and what a full disk looks like): `mdb_txn_commit failed:
            // Input/output error (5)` alone does not say which log or why.
            throw StoreError(error, path: path)
        }
        if let last = batch.events.last { appended.advance(to: last.sequence) }
        // Now and then, free the slots of readers that died inside a transaction: they pin
        // the pages of old versions, which would otherwise never be reused.
        if batch.snapshot != nil { _ = try? environment.clearStaleReaders() }
    }

    private func write(
        records: [([UInt8], [UInt8])], checkpoints: [([UInt8], [UInt8])], snapshot: ([UInt8], [UInt8])?,
        first: RecordedEvent?
    ) throws {
        try environment.write { txn in
            if let first {
                let last = try lastSequence(txn)
                guard first.sequence == last + 1 else {
                    throw StoreError(.sequenceGap, "\(path): append of event \(first.sequence) after \(last)")
                }
            }
            for (key, value) in records { try txn.put(eventsDB, key, value, append: true) }
            for (key, value) in checkpoints { try txn.put(checkpointsDB, key, value) }
            if let (key, value) = snapshot {
                try txn.put(snapshotsDB, key, value)
                try pruneSnapshots(txn)
            }
        }
    }

    /// Ends writing: later appends are refused, and the folder's writer lock is given up so
    /// that another engine may open it for writing. Reads still work. Idempotent.
    public func close() {
        closed.store(true, ordering: .releasing)
        writerLock?.release()
    }

    public func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] {
        guard limit > 0, sequence < UInt64.max else { return [] }
        return try environment.read { txn in
            var events: [RecordedEvent] = []
            var expected = sequence + 1
            try txn.scan(eventsDB, from: BigEndian.bytes(expected)) { key, value in
                guard let seq = BigEndian.read(UInt64.self, key, at: 0), key.count == 8 else {
                    throw StoreError(.corrupt, "\(path): data.mdb is damaged (an event key of \(key.count) bytes after #\(expected - 1), not an 8-byte sequence number); restore it from a copy")
                }
                guard seq == expected else {
                    throw StoreError(.sequenceGap, "\(path): event \(expected) is missing (next is \(seq))")
                }
                events.append(try EventRecord.decode(sequence: seq, value))
                expected += 1
                return events.count < limit
            }
            // A read that ended before its limit must have reached the last key: a cursor that
            // stops early (a damaged page that looks like the end) would pass for a short log.
            if events.count < limit {
                let last = try lastSequence(txn)
                guard expected > last else {
                    throw StoreError(.corrupt, "\(path): data.mdb is damaged (reading stopped after #\(expected - 1), but the last event is #\(last)); restore it from a copy")
                }
            }
            return events
        }
    }

    public func lastSequence() throws -> UInt64 {
        try environment.read { try lastSequence($0) }
    }

    public func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        await appended.wait(until: sequence + 1, timeout: pollInterval)
    }

    // MARK: CheckpointStore, SnapshotStore

    public func checkpoint(for handler: String) throws -> UInt64? {
        try environment.read { txn in
            try txn.get(checkpointsDB, Array(handler.utf8)).flatMap { BigEndian.read(UInt64.self, $0, at: 0) }
        }
    }

    public func checkpoints() throws -> [String: UInt64] {
        try environment.read { txn in
            var result: [String: UInt64] = [:]
            try txn.scan(checkpointsDB, from: nil) { key, value in
                result[String(decoding: key, as: UTF8.self)] = BigEndian.read(UInt64.self, value, at: 0)
                return true
            }
            return result
        }
    }

    public func latestSnapshot() throws -> StoredSnapshot? {
        try environment.read { txn in
            var found: StoredSnapshot?
            try txn.scan(snapshotsDB, from: nil, last: true) { key, value in
                guard let sequence = BigEndian.read(UInt64.self, key, at: 0) else {
                    throw StoreError(.corrupt, "\(path): a snapshot key is not a sequence number")
                }
                found = StoredSnapshot(sequence: sequence, bytes: try SnapshotFrame.unframe(value, sequence: sequence, location: path))
                return false
            }
            return found
        }
    }

    /// Visits the stored records after `sequence` in key order, undecoded: each key as read
    /// and the record bytes (valid only during the call), until `visit` returns false. For
    /// tools that check records one by one or copy them exactly.
    public func scanRecords(
        after sequence: UInt64, _ visit: (_ key: UnsafeRawBufferPointer, _ record: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard sequence < UInt64.max else { return }
        try environment.read { txn in try txn.scan(eventsDB, from: BigEndian.bytes(sequence + 1), visit) }
    }

    /// Decodes one record read by ``scanRecords(after:_:)``: verifies its checksum (over the
    /// key and the record) and its payload.
    public static func decodeRecord(key: UnsafeRawBufferPointer, _ record: UnsafeRawBufferPointer) throws(StoreError)
        -> RecordedEvent
    {
        guard key.count == 8, let sequence = BigEndian.read(UInt64.self, key, at: 0) else {
            throw StoreError(.corrupt, "an event key of \(key.count) bytes is not an 8-byte sequence number")
        }
        return try EventRecord.decode(sequence: sequence, record)
    }

    /// Whether writes are refused.
    public var isReadOnly: Bool { environment.readOnly }

    /// The folder, for messages.
    public var location: String { path }

    /// Never: the folder's writer lock keeps every other process from appending.
    public var isShared: Bool { false }

    /// Whether it was opened without a lock file (a copied `data.mdb` inspected read-only).
    public var isLockless: Bool { environment.lockless }

    /// Every stored snapshot, oldest first. One that fails its checksum is an error naming it.
    public func snapshots() throws -> [StoredSnapshot] {
        try environment.read { txn in
            var found: [StoredSnapshot] = []
            try txn.scan(snapshotsDB, from: nil) { key, value in
                guard let sequence = BigEndian.read(UInt64.self, key, at: 0) else {
                    throw StoreError(.corrupt, "\(path): a snapshot key is not a sequence number")
                }
                found.append(StoredSnapshot(sequence: sequence, bytes: try SnapshotFrame.unframe(value, sequence: sequence, location: path)))
                return true
            }
            return found
        }
    }

    /// Events stored; with contiguous sequences this equals ``lastSequence()``.
    public func eventCount() throws -> Int {
        try environment.read { try $0.count(eventsDB) }
    }

    /// Clears reader slots left by crashed processes; returns how many.
    public func clearStaleReaders() throws -> Int {
        try environment.clearStaleReaders()
    }

    /// The pids in LMDB's reader table (live or stale slots), for diagnostics and tests.
    public func readerProcessIDs() -> [Int32] {
        environment.readerProcessIDs()
    }

    // MARK: Internals

    private func lastSequence(_ txn: Transaction) throws -> UInt64 {
        var last: UInt64 = 0
        try txn.scan(eventsDB, from: nil, last: true) { key, _ in
            last = BigEndian.read(UInt64.self, key, at: 0) ?? 0
            return false
        }
        return last
    }

    private func pruneSnapshots(_ txn: Transaction) throws {
        var keys: [[UInt8]] = []
        try txn.scan(snapshotsDB, from: nil) { key, _ in
            keys.append(Array(key))
            return true
        }
        for key in keys.dropLast(Self.snapshotsKept) { try txn.delete(snapshotsDB, key) }
    }

    private func checkFormat(writable: Bool) throws(StoreError) {
        do {
            let (format, version) = try environment.read { txn in
                (
                    try txn.get(metaDB, Array("format".utf8)).map { String(decoding: $0, as: UTF8.self) },
                    try txn.get(metaDB, Array("formatVersion".utf8)).flatMap { BigEndian.read(UInt32.self, $0, at: 0) }
                )
            }
            func writeMarker() throws {
                try environment.write { txn in
                    try txn.put(metaDB, Array("format".utf8), Array(Self.formatName.utf8))
                    var version: [UInt8] = []
                    BigEndian.append(Self.formatVersion, to: &version)
                    try txn.put(metaDB, Array("formatVersion".utf8), version)
                }
            }
            switch (format, version) {
            case (nil, nil) where writable:
                // A new log; a log holding events has its marker, or is damaged.
                guard try eventCount() == 0 else {
                    throw StoreError(.corrupt, "\(path): data.mdb is damaged (it holds events but no format marker); restore it from a copy")
                }
                try writeMarker()
            case (Self.formatName, let version?):
                guard version <= Self.formatVersion else {
                    throw StoreError(.newerFormat, "\(path): log format version \(version) is newer than this build reads (\(Self.formatVersion)); upgrade shiftlog")
                }
                if version < Self.formatVersion && writable { try writeMarker() }
            case (nil, _) where try environment.read({ try $0.count(metaDB) }) > 0:
                // Shiftlog's 'meta' database holds entries, but not the marker: damage, not a
                // foreign file.
                throw StoreError(.corrupt, "\(path): data.mdb is damaged (its 'meta' database holds entries but no format marker); restore it from a copy")
            default:
                throw StoreError(.foreign, "\(path): an LMDB database, but not a Shiftlog log (format marker is \(format.map { "'\($0)'" } ?? "missing"))")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.lmdb, "\(path): \(error)")
        }
    }

    private static func checkFolder(_ path: String, create: Bool) throws(StoreError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError(.notLMDB, "\(path) is a file; a Shiftlog database is a folder holding data.mdb")
            }
        } else if create {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.lmdb, "\(path): cannot create the folder: \(error.localizedDescription)")
            }
        } else {
            throw StoreError(.missing, "\(path): no such folder")
        }
    }

    /// LMDB maps the file; a file shorter than its own last page would fault on read.
    private static func checkNotTruncated(_ environment: LMDBEnvironment, path: String) throws(StoreError) {
        let info = environment.info()
        let needed = info.lastPage.addingSaturating(1).multipliedSaturating(by: info.pageSize)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size < needed {
            throw StoreError(.corrupt, "\(path): data.mdb is truncated (\(size) bytes, its pages need \(needed))")
        }
    }
}
