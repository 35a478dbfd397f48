import CLMDB
import Foundation
import ShiftlogCore

/// One LMDB environment (a folder holding `data.mdb` and `lock.mdb`) and its named databases.
///
/// Read transactions use `MDB_NOTLS`, so any thread may read while the writer writes. A write
/// transaction runs inside one synchronous closure, so it begins and commits on one thread.
/// Growing the map needs every transaction of this process closed: a readers–writer lock
/// guards it (transactions share it, a resize takes it alone).
final class LMDBEnvironment: @unchecked Sendable {
    let path: String
    let readOnly: Bool
    /// Opened without `lock.mdb` (`MDB_NOLOCK`): nothing is written to the folder at all.
    let lockless: Bool
    /// The map never grows past this many bytes (`nil`: until the system refuses).
    let maximumMapSize: Int?
    /// Set when a resize unmapped the file and could not map it again: LMDB then holds
    /// pointers into nothing, so every later transaction is refused instead of faulting.
    /// Written under the map lock taken alone, read under it shared.
    private var unmapped = false
    private let env: OpaquePointer
    private let mapLock: UnsafeMutablePointer<pthread_rwlock_t>
    private var databases: [String: MDB_dbi] = [:]  // set once in init, read-only after

    /// Opens (or, when writable, creates) the environment in the folder at `path`.
    init(
        path: String, readOnly: Bool, lockless: Bool = false, mapSize: Int, maximumMapSize: Int? = nil,
        databaseNames: [String]
    ) throws(LMDBError) {
        self.path = path
        self.readOnly = readOnly
        self.lockless = lockless
        self.maximumMapSize = maximumMapSize
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        self.env = env!
        mapLock = .allocate(capacity: 1)
        pthread_rwlock_init(mapLock, nil)
        // Every stored property is set: if a call below throws, deinit closes the handle.
        try check(mdb_env_set_maxdbs(self.env, MDB_dbi(databaseNames.count + 2)), "mdb_env_set_maxdbs")
        try check(mdb_env_set_mapsize(self.env, mapSize), "mdb_env_set_mapsize")
        try check(mdb_env_set_assert(self.env, LMDBAssertionFailure.callback), "mdb_env_set_assert")
        let flags = UInt32(MDB_NOTLS) | (readOnly ? UInt32(MDB_RDONLY) : 0) | (lockless ? UInt32(MDB_NOLOCK) : 0)
        try check(mdb_env_open(self.env, path, flags, 0o644), "mdb_env_open")
    }

    deinit {
        mdb_env_close(env)
        pthread_rwlock_destroy(mapLock)
        mapLock.deallocate()
    }

    /// Opens the named databases once; `create` makes missing ones (writable only).
    /// Returns the names that did not exist.
    func openDatabases(_ names: [String], create: Bool) throws -> [String] {
        var missing: [String] = []
        try transaction(write: !readOnly) { txn throws in
            for name in names {
                var dbi = MDB_dbi()
                let code = mdb_dbi_open(txn.handle, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
                if code == MDB_NOTFOUND {
                    missing.append(name)
                    continue
                }
                try check(code, "mdb_dbi_open(\(name))")
                databases[name] = dbi
            }
        }
        return missing
    }

    /// The handle of a database opened by ``openDatabases(_:create:)``.
    func database(_ name: String) -> MDB_dbi {
        guard let dbi = databases[name] else { preconditionFailure("database '\(name)' was not opened") }
        return dbi
    }

    /// Entries in the unnamed (main) database, which holds the names of named databases.
    func mainDatabaseEntries() throws -> Int {
        try transaction(write: false) { txn throws in
            var dbi = MDB_dbi()
            try check(mdb_dbi_open(txn.handle, nil, 0, &dbi), "mdb_dbi_open(main)")
            var stat = MDB_stat()
            try check(mdb_stat(txn.handle, dbi, &stat), "mdb_stat")
            return Int(stat.ms_entries)
        }
    }

    /// Page size, last used page and map size, for size checks and reports.
    func info() -> (pageSize: Int, lastPage: Int, mapSize: Int) {
        var stat = MDB_stat()
        mdb_env_stat(env, &stat)
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        // Clamped: a damaged meta page may hold any number here.
        return (Int(stat.ms_psize), Int(clamping: info.me_last_pgno), info.me_mapsize)
    }

    /// Runs `body` in a read transaction.
    func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        try transaction(write: false, body)
    }

    /// ``StoreError`` `corrupt` naming the folder, for an LMDB code that only a damaged file
    /// gives (a page of the wrong type, a page number outside the file, a tree deeper than
    /// LMDB's cursor stack); any other error unchanged.
    private func damage(_ error: any Error) -> any Error {
        guard let error = error as? LMDBError, error.isDamage else { return error }
        return StoreError(.corrupt, "\(path): data.mdb is damaged (\(error)); restore it from a copy")
    }

    /// Runs `body` in a write transaction and commits it, durably (fsync) unless the
    /// environment says otherwise. When the map is full, the transaction is aborted, the map
    /// doubled (up to ``maximumMapSize``) and `body` run again: it must be safe to repeat.
    ///
    /// - Throws: ``StoreError`` `mapFull` when the map is full and cannot grow (at its maximum,
    ///   or the system refuses a larger mapping): nothing of the transaction was stored.
    func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        while true {
            do {
                return try transaction(write: true, body)
            } catch let error as LMDBError where error.isMapFull {
                try grow()
            }
        }
    }

    /// Doubles the map, or grows it to ``maximumMapSize`` when doubling would pass it. Waits
    /// for this process's transactions to end.
    func grow() throws {
        pthread_rwlock_wrlock(mapLock)
        defer { pthread_rwlock_unlock(mapLock) }
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        let current = info.me_mapsize
        let doubled = current.multipliedSaturating(by: 2)
        let target = maximumMapSize.map { min(doubled, max($0, current)) } ?? doubled
        guard target > current else {
            throw StoreError(
                .mapFull,
                "\(path): the map is full at its maximum size of \(Self.size(current)) (maximumMapSize); nothing of this write was stored — open the log with a larger maximum")
        }
        // mdb_env_set_mapsize unmaps the file before it maps the larger size, and when that
        // mmap fails it leaves the environment with no map at all. So first ask the kernel for
        // the address space the growth adds (reserved, never touched; what an address-space
        // limit counts): a refusal leaves the map as it is.
        let probe = mmap(nil, target - current, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard probe != MAP_FAILED else {
            throw StoreError(
                .mapFull,
                "\(path): the map is full at \(Self.size(current)) and the system refuses to map \(Self.size(target)) (\(String(cString: strerror(errno)))); nothing of this write was stored — raise the process's address-space limit (ulimit -v)")
        }
        munmap(probe, target - current)
        let code = mdb_env_set_mapsize(env, target)
        if code != MDB_SUCCESS {
            unmapped = true
            throw StoreError(
                .mapFull,
                "\(path): growing the map to \(Self.size(target)) failed (\(LMDBError(operation: "mdb_env_set_mapsize", code: code))); nothing of this write was stored, and this open log can no longer be read or written — open it again")
        }
    }

    /// "256 KB", "64 MB".
    private static func size(_ bytes: Int) -> String {
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        return bytes % (1 << 10) == 0 ? "\(bytes >> 10) KB" : "\(bytes) bytes"
    }

    /// Clears reader slots left by dead processes; returns how many were cleared.
    func clearStaleReaders() throws -> Int {
        if lockless { return 0 }
        var dead: Int32 = 0
        try check(mdb_reader_check(env, &dead), "mdb_reader_check")
        return Int(dead)
    }

    /// The pids of the reader table's slots (`mdb_reader_list`).
    func readerProcessIDs() -> [Int32] {
        if lockless { return [] }
        final class Lines { var text = "" }
        let lines = Lines()
        _ = withExtendedLifetime(lines) {
            mdb_reader_list(env, { message, context in
                guard let message, let context else { return 0 }
                Unmanaged<Lines>.fromOpaque(context).takeUnretainedValue().text += String(cString: message)
                return 0
            }, Unmanaged.passUnretained(lines).toOpaque())
        }
        // "    pid     thread     txnid" then one line per slot, or "(no active readers)".
        return lines.text.split(separator: "\n").dropFirst().compactMap {
            $0.split(separator: " ").first.flatMap { Int32($0) }
        }
    }

    private func transaction<T>(write: Bool, _ body: (Transaction) throws -> T) throws -> T {
        while true {
            pthread_rwlock_rdlock(mapLock)
            guard !unmapped else {
                pthread_rwlock_unlock(mapLock)
                throw StoreError(.mapFull, "\(path): this open log lost its map when growing it failed; open it again")
            }
            var txn: OpaquePointer?
            let code = mdb_txn_begin(env, nil, write ? 0 : UInt32(MDB_RDONLY), &txn)
            if code == MDB_MAP_RESIZED {
                // Another process grew the map: adopt its size, then begin again.
                pthread_rwlock_unlock(mapLock)
                pthread_rwlock_wrlock(mapLock)
                let adopt = mdb_env_set_mapsize(env, 0)
                if adopt != MDB_SUCCESS { unmapped = true }  // as in grow(): no map is left
                pthread_rwlock_unlock(mapLock)
                try check(adopt, "mdb_env_set_mapsize(0)")
                continue
            }
            defer { pthread_rwlock_unlock(mapLock) }
            do {
                try check(code, write ? "mdb_txn_begin(write)" : "mdb_txn_begin(read)")
            } catch {
                throw damage(error)
            }
            // A value read in a read transaction lies in the mapped file, so it cannot be longer
            // than the pages in use: a longer one comes from a damaged node. (A write
            // transaction's values may be in memory of its own, so they are not bounded.)
            let pages = write ? nil : info()
            let transaction = Transaction(
                handle: txn!, folder: path, valueLimit: pages.map { $0.lastPage.addingSaturating(1).multipliedSaturating(by: $0.pageSize) } ?? .max)
            let result: T
            do {
                result = try body(transaction)
            } catch {
                mdb_txn_abort(txn)
                throw damage(error)
            }
            // Committing (not aborting) a read transaction keeps database handles it opened.
            do {
                try check(mdb_txn_commit(txn), "mdb_txn_commit")
            } catch {
                throw damage(error)
            }
            return result
        }
    }
}

/// A live transaction. Valid only inside the closure it was handed to.
struct Transaction {
    let handle: OpaquePointer
    /// The environment's folder, to name it in an error.
    let folder: String
    /// The longest value that can be genuine (the bytes of the pages in use, for a read).
    let valueLimit: Int

    /// The bytes of `value`, refused when no genuine value can be that long: LMDB does not
    /// checksum its pages, and reading a damaged length would run past the mapped file.
    private func bytes(_ value: MDB_val) throws(StoreError) -> UnsafeRawBufferPointer {
        guard value.mv_size <= valueLimit, value.mv_size == 0 || value.mv_data != nil else {
            throw StoreError(
                .corrupt,
                "\(folder): data.mdb is damaged (a stored value of \(value.mv_size) bytes, more than its \(valueLimit) bytes of pages); restore it from a copy")
        }
        return UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
    }

    /// The value under `key`, valid until the transaction ends, or `nil`.
    func get(_ dbi: MDB_dbi, _ key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        var key = key
        return try key.withUnsafeMutableBytes { keyBytes throws in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
            var v = MDB_val()
            let code = mdb_get(handle, dbi, &k, &v)
            if code == MDB_NOTFOUND { return nil }
            try check(code, "mdb_get")
            return try bytes(v)
        }
    }

    /// Stores `value` under `key`. `append` asserts the key sorts after every existing key.
    func put(_ dbi: MDB_dbi, _ key: [UInt8], _ value: [UInt8], append: Bool = false) throws {
        var key = key
        var value = value
        try key.withUnsafeMutableBytes { keyBytes throws in
            try value.withUnsafeMutableBytes { valueBytes throws in
                var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                try check(mdb_put(handle, dbi, &k, &v, append ? UInt32(MDB_APPEND) : 0), "mdb_put")
            }
        }
    }

    /// Deletes `key`; no error when it is absent.
    func delete(_ dbi: MDB_dbi, _ key: [UInt8]) throws {
        var key = key
        try key.withUnsafeMutableBytes { keyBytes throws in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
            let code = mdb_del(handle, dbi, &k, nil)
            if code != MDB_NOTFOUND { try check(code, "mdb_del") }
        }
    }

    /// Visits entries in key order from the first key ≥ `start` (or from the first, or the
    /// last when `last` is set) until `visit` returns false.
    func scan(
        _ dbi: MDB_dbi, from start: [UInt8]?, last: Bool = false,
        _ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, dbi, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        var key = start ?? []
        try key.withUnsafeMutableBytes { keyBytes in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
            var v = MDB_val()
            var op = last ? MDB_LAST : (start == nil ? MDB_FIRST : MDB_SET_RANGE)
            while true {
                let code = mdb_cursor_get(cursor, &k, &v, op)
                if code == MDB_NOTFOUND { return }
                try check(code, "mdb_cursor_get")
                let more = try visit(try bytes(k), try bytes(v))
                if !more || last { return }
                op = MDB_NEXT
            }
        }
    }

    /// Entries in a database.
    func count(_ dbi: MDB_dbi) throws -> Int {
        Int(clamping: try statistics(dbi).ms_entries)
    }

    /// What the database's own record says of its B-tree (`mdb_stat`): entries, depth, pages.
    func statistics(_ dbi: MDB_dbi) throws -> MDB_stat {
        var stat = MDB_stat()
        try check(mdb_stat(handle, dbi, &stat), "mdb_stat")
        return stat
    }
}
