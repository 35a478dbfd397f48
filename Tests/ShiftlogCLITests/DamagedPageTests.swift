import Foundation
import Testing

/// Issue 12: a flipped byte in a page header of `data.mdb` made `verify` and `events` die of
/// SIGSEGV or SIGBUS inside LMDB, which does not checksum its pages. Every run on a damaged
/// copy must end with an exit status, never a signal; when it is 65 (damaged data), standard
/// error holds exactly one line.
@Suite struct DamagedPageTests {
    static let demoLog = ShiftlogBinary.root.appendingPathComponent("Fixtures/Logs/demo.jsonl").path

    /// Offsets to flip: bytes of the page headers of pages 2… (4096 * k + 0…15), and of the
    /// two meta pages (their header and the meta fields after it).
    static func offsets(fileSize: Int) -> [Int] {
        let pages = fileSize / 4_096
        var offsets: [Int] = []
        for meta in 0..<2 { offsets += [0, 10, 16, 20, 40, 128, 136].map { meta * 4_096 + $0 } }
        for page in stride(from: 2, to: pages, by: max(1, (pages - 2) / 4 + 1)) {
            offsets += [0, 8, 10, 11, 12, 13, 14, 15].map { page * 4_096 + $0 }
        }
        return offsets
    }

    @Test func flippedPageHeaderBytesAreReportedNeverASignal() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-damaged-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let imported = try await ShiftlogBinary.run(["import", Self.demoLog, "--path", folder + "/log"])
        try #require(imported.status == 0, "\(imported.output)")
        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/log/data.mdb"))
        let offsets = Self.offsets(fileSize: original.count)
        #expect(offsets.count >= 40)
        var endings: [Int32: Int] = [:]
        for offset in offsets where offset < original.count {
            let copy = folder + "/flip-\(offset)"
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            var damaged = original
            damaged[offset] ^= 0xFF
            try damaged.write(to: URL(fileURLWithPath: copy + "/data.mdb"))
            for command in ["verify", "events"] {
                let ending = try await ShiftlogBinary.runReportingEnding([command, "--path", copy])
                #expect(!ending.signalled, "\(command) on a flip at \(offset) died of signal \(ending.status)")
                // Damage is a data error, whoever finds it: verify too (after its report).
                #expect([0, 65].contains(ending.status), "\(command), flip at \(offset): \(ending.status) \(ending.error)")
                if ending.status == 65 {
                    #expect(ending.error.split(separator: "\n", omittingEmptySubsequences: false).count == 2,
                            "\(command), flip at \(offset): \(ending.error)")
                    #expect(ending.error.hasPrefix("shiftlog: "), "\(ending.error)")
                }
                endings[ending.signalled ? -ending.status : ending.status, default: 0] += 1
            }
            try FileManager.default.removeItem(atPath: copy)
        }
        print("flips: \(offsets.count), runs by status (negative: signal): \(endings.sorted { $0.key < $1.key })")
    }
}
