import Foundation
import Testing

/// Issue 22: damaged pages of a generated 20,000-event log. A zeroed page, or a flipped flag
/// byte in a branch page, made `verify`, `events`, `state` and `timeline` die of SIGABRT (an
/// assertion inside LMDB); a flipped flag byte of the events tree's root made `verify` pass
/// with "verified: 0 events" and `serve` die of SIGSEGV writing over the old history. Every
/// run must now read correctly or name the damage in one line with exit 65.
@Suite struct DamagedLargeLogTests {
    static let pageSize = 4_096
    static let tools = [["verify"], ["events"], ["state"], ["timeline", "worker-3"]]

    /// The generated log's `data.mdb`, made once for the suite.
    static let original = Task<Data, any Error> {
        let folder = NSTemporaryDirectory() + "shiftlog-large-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let generated = try await ShiftlogBinary.run(["generate", "--path", folder, "--events", "20000"])
        guard generated.status == 0 else { throw E2EFailure("generate: \(generated.output)") }
        return try Data(contentsOf: URL(fileURLWithPath: folder + "/data.mdb"))
    }

    /// The page flags (`mp_flags`, bytes 10–11 of the header) of every page.
    static func flags(_ data: Data, page: Int) -> UInt16 {
        UInt16(data[page * pageSize + 10]) | UInt16(data[page * pageSize + 11]) << 8
    }

    /// The root page of the `events` tree: from the newer meta page to the main tree's root
    /// leaf (LMDB 0.9's layout: `MDB_meta` after the 16-byte page header, the main tree's
    /// `MDB_db` at byte 88 of the page, its root at 40 within it; a leaf's node offsets from
    /// byte 16; a node's 8-byte header, its key, then the named tree's `MDB_db`).
    static func eventsRoot(_ data: Data) -> Int? {
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) } }
        let meta = u64(144) >= u64(pageSize + 144) ? 0 : pageSize  // the higher txnid
        let main = u64(meta + 88 + 40) * pageSize
        for index in 0..<((u16(main + 12) - 16) / 2) {
            let node = main + u16(main + 16 + 2 * index)
            let keySize = u16(node + 6)
            if data[(node + 8)..<(node + 8 + keySize)].elementsEqual("events".utf8) {
                return u64(node + 8 + keySize + 40)
            }
        }
        return nil
    }

    /// Writes `damaged` as the only file of a new folder; returns the folder.
    static func copy(_ damaged: Data, in parent: String, named name: String) throws -> String {
        let folder = parent + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try damaged.write(to: URL(fileURLWithPath: folder + "/data.mdb"))
        return folder
    }

    /// Each tool on `folder` exits 65 with one line naming the damage.
    static func expectNamed(_ folder: String, _ what: String) async throws {
        for tool in tools {
            let ending = try await ShiftlogBinary.runReportingEnding(tool + ["--path", folder], environment: ["SWIFT_BACKTRACE": "enable=no"])
            #expect(!ending.signalled, "\(tool[0]), \(what): signal \(ending.status)")
            #expect(ending.status == 65, "\(tool[0]), \(what): exit \(ending.status): \(ending.output.suffix(200)) \(ending.error)")
            #expect(ending.error.hasPrefix("shiftlog: ") && ending.error.contains("damaged"), "\(tool[0]), \(what): \(ending.error)")
            #expect(ending.error.split(separator: "\n").count == 1, "\(tool[0]), \(what): \(ending.error)")
        }
    }

    @Test func aFlippedFlagOfTheEventsRootIsDamageNotAnEmptyLog() async throws {
        let original = try await Self.original.value
        let root = try #require(Self.eventsRoot(original))
        #expect(Self.flags(original, page: root) == 0x01, "the events root is a branch page")
        let parent = NSTemporaryDirectory() + "shiftlog-root-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var damaged = original
        damaged[root * Self.pageSize + 10] ^= 0xFF
        try await Self.expectNamed(try Self.copy(damaged, in: parent, named: "root"), "events root flags flipped")
    }

    @Test func zeroedAndFlaggedPagesAreDamageNotAnAbort() async throws {
        let original = try await Self.original.value
        let pages = original.count / Self.pageSize
        let parent = NSTemporaryDirectory() + "shiftlog-zeroed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // A leaf page a quarter of the way in and one three quarters in (both were SIGABRT:
        // `IS_LEAF(mp)` in mdb_cursor_next), zeroed; and a branch page below the root with
        // its flags flipped.
        let leaves = (2..<pages).filter { Self.flags(original, page: $0) == 0x02 }
        let branches = (2..<pages).filter { Self.flags(original, page: $0) == 0x01 && $0 != Self.eventsRoot(original) }
        try #require(leaves.count > 100 && !branches.isEmpty)
        for page in [leaves[leaves.count / 4], leaves[3 * leaves.count / 4]] {
            var damaged = original
            damaged.replaceSubrange((page * Self.pageSize)..<((page + 1) * Self.pageSize), with: Data(count: Self.pageSize))
            try await Self.expectNamed(try Self.copy(damaged, in: parent, named: "zero-\(page)"), "page \(page) zeroed")
        }
        var damaged = original
        damaged[branches[0] * Self.pageSize + 10] ^= 0xFF
        try await Self.expectNamed(try Self.copy(damaged, in: parent, named: "branch"), "branch page \(branches[0]) flags flipped")
    }

    @Test func serveRefusesALogThatLooksEmptyAndWritesNothing() async throws {
        let original = try await Self.original.value
        let root = try #require(Self.eventsRoot(original))
        let parent = NSTemporaryDirectory() + "shiftlog-serve-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var damaged = original
        damaged[root * Self.pageSize + 10] ^= 0xFF
        let folder = try Self.copy(damaged, in: parent, named: "log")
        let ending = try await ShiftlogBinary.runReportingEnding(
            ["serve", "--path", folder, "--runtime", "process", "--port", "0"],
            environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(!ending.signalled, "serve died of signal \(ending.status)")
        #expect(ending.status == 65, "serve: \(ending.status) \(ending.output) \(ending.error)")
        #expect(ending.error.hasPrefix("shiftlog: \(folder): data.mdb is damaged"), "\(ending.error)")
        #expect(ending.error.split(separator: "\n").count == 1, "\(ending.error)")
        #expect(!ending.output.contains("listening"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/data.mdb")) == damaged, "serve wrote to the damaged log")
        // Refused before anything was created beside it.
        let created = Set(try FileManager.default.contentsOfDirectory(atPath: folder)).subtracting(["data.mdb", "lock.mdb"])
        #expect(created.isEmpty, "serve created \(created.sorted()) beside a log it refused")
    }

    /// A sample of `scripts/page-sweep` (the full sweep is documented in the README): every
    /// run reads correctly or names the damage; no signal.
    @Test func aSampleOfThePageSweepEndsWithoutASignal() async throws {
        let script = ShiftlogBinary.root.appendingPathComponent("scripts/page-sweep").path
        let output = try await ShiftlogBinary.runTool(script, ["--sample", "6", "--seed", "22"])
        #expect(output.contains("6 damaged copies, 24 runs"), "\(output)")
        #expect(output.contains("signals: 0, failed runs: 0"), "\(output)")
    }
}
