import CLMDB
import ShiftlogCore
import Foundation

/// The limit: records of the engine's heartbeat size appended straight through the LMDB C
/// API, with the same environment flags as the engine's store (durable commits).
enum RawLMDB {
    /// One record per synced transaction, for `seconds`.
    static func synced(recordBytes: Int, seconds: Double) throws -> Measurement {
        try withEnvironment { env, dbi in
            let value = [UInt8](repeating: 0x5A, count: recordBytes)
            var latencies = Latencies()
            var sequence: UInt64 = 0
            let started = ContinuousClock.now
            let deadline = started + .milliseconds(Int64(seconds * 1_000))
            while ContinuousClock.now < deadline {
                let before = ContinuousClock.now
                try transaction(env) { txn in
                    sequence += 1
                    try put(txn, dbi, sequence, value)
                }
                latencies.record(ContinuousClock.now - before)
            }
            return Measurement(
                name: "raw LMDB, 1 record per synced txn", operations: Int(sequence),
                seconds: (ContinuousClock.now - started).seconds, p50Microseconds: latencies.p50, p99Microseconds: latencies.p99)
        }
    }

    /// `batch` records per synced transaction, for `seconds`.
    static func batched(recordBytes: Int, batch: Int, seconds: Double) throws -> Measurement {
        try withEnvironment { env, dbi in
            let value = [UInt8](repeating: 0x5A, count: recordBytes)
            var sequence: UInt64 = 0
            let started = ContinuousClock.now
            let deadline = started + .milliseconds(Int64(seconds * 1_000))
            while ContinuousClock.now < deadline {
                try transaction(env) { txn in
                    for _ in 0..<batch {
                        sequence += 1
                        try put(txn, dbi, sequence, value)
                    }
                }
            }
            return Measurement(
                name: "raw LMDB, \(batch) records per synced txn", operations: Int(sequence),
                seconds: (ContinuousClock.now - started).seconds)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static func check(_ rc: Int32, _ what: String) throws {
        guard rc == 0 else { throw Failure(description: "\(what): \(String(cString: mdb_strerror(rc)))") }
    }

    private static func withEnvironment<T>(_ body: (OpaquePointer, MDB_dbi) throws -> T) throws -> T {
        let folder = temporaryFolder("raw")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "env_create")
        defer { mdb_env_close(env) }
        try check(mdb_env_set_mapsize(env, 4 << 30), "set_mapsize")
        try check(mdb_env_set_maxdbs(env, 8), "set_maxdbs")
        try check(mdb_env_open(env, folder, UInt32(MDB_NOTLS), 0o644), "env_open")
        var dbi = MDB_dbi()
        try transaction(env!) { txn in try check(mdb_dbi_open(txn, "events", UInt32(MDB_CREATE), &dbi), "dbi_open") }
        return try body(env!, dbi)
    }

    private static func transaction(_ env: OpaquePointer, _ body: (OpaquePointer) throws -> Void) throws {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, 0, &txn), "txn_begin")
        do {
            try body(txn!)
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        try check(mdb_txn_commit(txn), "txn_commit")
    }

    private static func put(_ txn: OpaquePointer, _ dbi: MDB_dbi, _ sequence: UInt64, _ value: [UInt8]) throws {
        var key = sequence.bigEndian
        try withUnsafeMutableBytes(of: &key) { keyBytes in
            var value = value
            try value.withUnsafeMutableBytes { valueBytes in
                var k = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                try check(mdb_put(txn, dbi, &k, &v, UInt32(MDB_APPEND)), "put")
            }
        }
    }

    /// The mean size of the event records in the log at `folder` (what the engine wrote), how
    /// many there are, and how many write transactions the environment has committed.
    static func logStats(folder: String) throws -> (meanRecordBytes: Int, records: Int, transactions: Int) {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "env_create")
        defer { mdb_env_close(env) }
        try check(mdb_env_set_maxdbs(env, 8), "set_maxdbs")
        try check(mdb_env_open(env, folder, UInt32(MDB_RDONLY | MDB_NOTLS), 0o644), "env_open")
        var info = MDB_envinfo()
        try check(mdb_env_info(env, &info), "env_info")
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn), "txn_begin")
        defer { mdb_txn_abort(txn) }
        var dbi = MDB_dbi()
        try check(mdb_dbi_open(txn, "events", 0, &dbi), "dbi_open")
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, dbi, &cursor), "cursor_open")
        defer { mdb_cursor_close(cursor) }
        var key = MDB_val()
        var value = MDB_val()
        var total = 0
        var count = 0
        var op = MDB_FIRST
        while mdb_cursor_get(cursor, &key, &value, op) == 0 {
            total += value.mv_size
            count += 1
            op = MDB_NEXT
        }
        return (count == 0 ? 0 : total / count, count, Int(info.me_last_txnid))
    }
}
