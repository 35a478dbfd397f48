import Foundation
import Testing

/// `shiftlog import` streaming a file: messages that name the line, the field and what is
/// wrong; ids too long for a record refused, never cut; staging folders never left behind.
@Suite struct ImportInputTests {
    static let header = #"{"format":"shiftlog-events","version":1}"#
    static let added = #"{"causationId":null,"correlationId":"cmd-1","payload":{"maxIterations":20,"metadata":{},"priority":"high","repo":"acme/web","spec":"SPEC","type":"execution","workItemId":"item-1"},"schemaVersion":1,"sequence":SEQ,"time":"2026-03-01T09:00:00.000Z","type":"workItemAdded"}"#

    func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "shiftlog-importinput-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Imports `lines` (after the header); returns the status and output.
    func importing(_ line: [UInt8], in folder: String) async throws -> (status: Int32, output: String) {
        let file = folder + "/in.jsonl"
        try Data(Array((Self.header + "\n").utf8) + line + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: file))
        return try await ShiftlogBinary.run(["import", file, "--path", folder + "/db"])
    }

    func line(sequence: String = "1", spec: String = "SPEC", correlationId: String = "cmd-1") -> [UInt8] {
        Array(Self.added.replacingOccurrences(of: "SEQ", with: sequence).replacingOccurrences(of: "\"SPEC\"", with: "\"\(spec)\"")
            .replacingOccurrences(of: "\"cmd-1\"", with: "\"\(correlationId)\"").utf8)
    }

    @Test(arguments: [
        ("-1", "shiftlog: line 2: 'sequence' must be a whole number from 1 to 9223372036854775807, got -1"),
        ("1e30", "shiftlog: line 2: 'sequence' must be a whole number from 1 to 9223372036854775807, got 1e+30"),
        ("0", "shiftlog: line 2: 'sequence' must be a whole number from 1 to 9223372036854775807, got 0"),
        ("\"7\"", "shiftlog: line 2: 'sequence' must be a whole number from 1 to 9223372036854775807, got a string"),
    ])
    func aSequenceOutOfRangeIsNamedAsSuch(_ sequence: String, _ message: String) async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await importing(line(sequence: sequence), in: folder)
        #expect(status == 65)
        #expect(output == message + "\n")
    }

    @Test func bytesThatAreNotUTF8AreNamedByTheirField() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes = line(spec: "Fix XX")
        let at = bytes.firstIndex(of: UInt8(ascii: "X"))!
        bytes[at] = 0xFF
        let (status, output) = try await importing(bytes, in: folder)
        #expect(status == 65)
        #expect(output == "shiftlog: line 2: 'payload.spec' is not valid UTF-8 (byte \(at + 1) of the line); exports are UTF-8\n")
    }

    @Test func aCorrelationIdTooLongForARecordIsRefusedNotCut() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await importing(line(correlationId: String(repeating: "c", count: 70_000)), in: folder)
        #expect(status == 65)
        #expect(output == "shiftlog: line 2: 'correlationId' is 70000 bytes long; a record holds at most 65534\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/db"))
    }

    @Test func aRefusedImportLeavesNoStagingFolder() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The first line is written before the second is refused.
        let file = folder + "/in.jsonl"
        let text = [Self.header, String(decoding: line(), as: UTF8.self), String(decoding: line(sequence: "3"), as: UTF8.self)]
        try (text.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try await ShiftlogBinary.run(["import", file, "--path", folder + "/db"])
        #expect(status == 65, "\(output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["in.jsonl"])
    }

    @Test func aStagingFolderLeftByAKilledImportIsRemovedByTheNext() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // No process has this id: pids stay below /proc/sys/kernel/pid_max (at most 2^22).
        let stale = folder + "/db.importing-99999999"
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        try Data("half a log".utf8).write(to: URL(fileURLWithPath: stale + "/data.mdb"))
        let (status, output) = try await importing(line(), in: folder)
        #expect(status == 0, "\(output)")
        #expect(output.contains("shiftlog: removed \(stale), left by an import (process 99999999) that did not finish"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["db", "in.jsonl"])
    }

    @Test func aStreamedImportStoresWhatWasExported() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let demo = ShiftlogBinary.root.appendingPathComponent("Fixtures/Logs/demo.jsonl").path
        let stdin = try Data(contentsOf: URL(fileURLWithPath: demo))
        let imported = try await ShiftlogBinary.run(["import", "-", "--path", folder + "/db"], stdin: stdin)
        #expect(imported.status == 0, "\(imported.output)")
        let exported = try await ShiftlogBinary.run(["export", "--path", folder + "/db"])
        #expect(exported.output == String(decoding: stdin, as: UTF8.self))
    }

    /// Issue 22 §5: a 1 MB event type was echoed whole to standard error. Given such a line,
    /// the message quotes its first characters and says how long it was.
    @Test func aHugeEventTypeIsQuotedCutNotEchoedWhole() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let type = String(repeating: "x", count: 1 << 20)
        let huge = Array(String(decoding: line(), as: UTF8.self)
            .replacingOccurrences(of: "\"type\":\"workItemAdded\"", with: "\"type\":\"\(type)\"").utf8)
        let (status, output) = try await importing(huge, in: folder)
        #expect(status == 65)
        #expect(output == "shiftlog: line 2: unknown event type '\(type.prefix(60))…' (1048576 characters)\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/db"))
    }
}
