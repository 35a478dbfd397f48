import CLMDB
import Foundation
import ShiftlogCore
import ShiftlogStore
import Testing

/// Opening a folder that is not a Shiftlog log is refused with a message naming the problem.
@Suite struct OpeningTests {
    let folder = NSTemporaryDirectory() + "shiftlog-store-\(UUID().uuidString)"

    @Test func aMissingFolderIsRefusedReadOnly() {
        #expect(throws: StoreError(.missing, "\(folder): no such folder")) {
            try LMDBEventLog(path: folder, options: .init(readOnly: true))
        }
    }

    @Test func aFileInsteadOfAFolderIsRefused() throws {
        _ = FileManager.default.createFile(atPath: folder, contents: Data("hello".utf8))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = #expect(throws: StoreError.self) { try LMDBEventLog(path: folder) }
        #expect(error?.code == .notLMDB)
    }

    @Test func garbageInDataMDBIsRefused() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/data.mdb", contents: Data(repeating: 0x41, count: 16_384))
        let error = #expect(throws: StoreError.self) { try LMDBEventLog(path: folder, options: .init(readOnly: true)) }
        #expect(error?.code == .notLMDB)
        #expect(error?.message.contains("not an LMDB database file") == true)
    }

    @Test func aForeignLMDBDatabaseIsRefused() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ForeignDatabase.write(at: folder)
        let error = #expect(throws: StoreError.self) { try LMDBEventLog(path: folder) }
        #expect(error?.code == .foreign)
        #expect(error?.message.contains("not a Shiftlog log") == true)
    }

    @Test func aNewerFormatIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ForeignDatabase.writeShiftlogMarker(at: folder, version: LMDBEventLog.formatVersion + 1)
        let error = #expect(throws: StoreError.self) { try LMDBEventLog(path: folder) }
        #expect(error?.code == .newerFormat)
        #expect(error?.message.contains("newer than this build reads") == true)
    }
}

/// Writes LMDB environments by hand through the C API, as another program would.
enum ForeignDatabase {
    static func write(at path: String) throws {
        try withEnvironment(path) { env, txn in
            var dbi = MDB_dbi()
            #expect(mdb_dbi_open(txn, nil, 0, &dbi) == 0)
            try put(txn, dbi, "users/1", "alice")
        }
    }

    static func writeShiftlogMarker(at path: String, version: UInt32) throws {
        _ = try LMDBEventLog(path: path)  // a real log, then bump its version by hand
        try withEnvironment(path) { env, txn in
            var dbi = MDB_dbi()
            #expect(mdb_dbi_open(txn, "meta", 0, &dbi) == 0)
            var bytes = withUnsafeBytes(of: version.bigEndian, Array.init)
            "formatVersion".utf8CString.withUnsafeBufferPointer { key in
                var k = MDB_val(mv_size: key.count - 1, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                bytes.withUnsafeMutableBytes { value in
                    var v = MDB_val(mv_size: value.count, mv_data: value.baseAddress)
                    #expect(mdb_put(txn, dbi, &k, &v, 0) == 0)
                }
            }
        }
    }

    private static func withEnvironment(_ path: String, _ body: (OpaquePointer?, OpaquePointer?) throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var env: OpaquePointer?
        #expect(mdb_env_create(&env) == 0)
        defer { mdb_env_close(env) }
        #expect(mdb_env_set_maxdbs(env, 8) == 0)
        #expect(mdb_env_open(env, path, 0, 0o644) == 0)
        var txn: OpaquePointer?
        #expect(mdb_txn_begin(env, nil, 0, &txn) == 0)
        try body(env, txn)
        #expect(mdb_txn_commit(txn) == 0)
    }

    private static func put(_ txn: OpaquePointer?, _ dbi: MDB_dbi, _ key: String, _ value: String) throws {
        var key = Array(key.utf8)
        var value = Array(value.utf8)
        key.withUnsafeMutableBytes { k in
            value.withUnsafeMutableBytes { v in
                var kv = MDB_val(mv_size: k.count, mv_data: k.baseAddress)
                var vv = MDB_val(mv_size: v.count, mv_data: v.baseAddress)
                #expect(mdb_put(txn, dbi, &kv, &vv, 0) == 0)
            }
        }
    }
}
