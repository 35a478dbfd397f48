import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12: `export -o PATH` wrote a new file and renamed it over PATH, so a symbolic link
/// became a plain file (and, as root, a device node a regular file). It now writes into what
/// was named. Everything here lives in a temporary folder: never a system path.
@Suite struct ExportDestinationTests {
    static let demoLog = ShiftlogBinary.root.appendingPathComponent("Fixtures/Logs/demo.jsonl").path

    private func withFolderAndLog(_ body: (_ folder: String, _ log: String) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["import", Self.demoLog, "--path", folder + "/log"])
        try #require(status == 0, "\(output)")
        try await body(folder, folder + "/log")
    }

    private var expected: String { get throws { try String(contentsOfFile: Self.demoLog, encoding: .utf8) } }

    @Test func aSymbolicLinkStaysALinkAndItsTargetHoldsTheExport() async throws {
        try await withFolderAndLog { folder, log in
            let target = folder + "/target.jsonl"
            try "old contents\n".write(toFile: target, atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: folder + "/link.jsonl", withDestinationPath: "target.jsonl")
            let (status, output) = try await ShiftlogBinary.run(["export", "--path", log, "-o", folder + "/link.jsonl"])
            #expect(status == 0, "\(output)")
            let kind = try FileManager.default.attributesOfItem(atPath: folder + "/link.jsonl")[.type] as? FileAttributeType
            #expect(kind == .typeSymbolicLink)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.jsonl") == "target.jsonl")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == expected)
            // Nothing left beside them (no temporary file).
            #expect(try Set(FileManager.default.contentsOfDirectory(atPath: folder)) == ["log", "link.jsonl", "target.jsonl"])
        }
    }

    @Test func aRegularFileIsReplacedWhole() async throws {
        try await withFolderAndLog { folder, log in
            let file = folder + "/all.jsonl"
            try String(repeating: "x", count: 100_000).write(toFile: file, atomically: false, encoding: .utf8)
            let (status, output) = try await ShiftlogBinary.run(["export", "--path", log, "--output", file])
            #expect(status == 0, "\(output)")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == expected)
        }
    }

    @Test func aFIFOIsWrittenInPlaceForItsReader() async throws {
        try await withFolderAndLog { folder, log in
            let fifo = folder + "/pipe"
            try #require(mkfifo(fifo, 0o600) == 0)
            // A reader on a thread of its own: opening a FIFO waits for the writer.
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var read = Data()
            DispatchQueue.global().async {
                if let handle = FileHandle(forReadingAtPath: fifo) {
                    read = handle.readDataToEndOfFile()
                    try? handle.close()
                }
                done.signal()
            }
            let (status, output) = try await ShiftlogBinary.run(["export", "--path", log, "-o", fifo])
            #expect(status == 0, "\(output)")
            if done.wait(timeout: .now() + 30) == .timedOut {
                // The export never opened the FIFO: open it ourselves to release the reader.
                let writer = open(fifo, O_WRONLY | O_NONBLOCK)
                if writer >= 0 { close(writer) }
                done.wait()
                Issue.record("the export did not write to the FIFO")
            }
            #expect(String(decoding: read, as: UTF8.self) == (try expected))
            // Still a FIFO, not a regular file put in its place.
            var node = stat()
            #expect(lstat(fifo, &node) == 0 && node.st_mode & S_IFMT == S_IFIFO)
        }
    }
}
