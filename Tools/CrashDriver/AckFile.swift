#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// The driver's record of what the engine acknowledged: one line per command, written with
/// one `write(2)` after the engine answered it, so that a SIGKILL leaves in the file only
/// commands that were acknowledged (at worst a last line cut short, which the reader skips).
///
/// A line from the engine driver: `<command> <correlation id> <sequence>:<digest hex>…` (no
/// events for a command that was accepted but appended nothing, such as a repeated
/// idempotency key); from the HTTP driver: `http.<route> <fields of what the answer promised>`.
final class AckFile: Sendable {
    private let descriptor: Mutex<Int32>

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HarnessError("cannot open \(path): \(String(cString: strerror(errno)))") }
        descriptor = Mutex(fd)
    }

    func append(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        try descriptor.withLock { fd in
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw HarnessError("ack write: \(String(cString: strerror(errno)))") }
        }
    }

    /// One acknowledged command, as read back: for the engine, the events it appended; for
    /// the service (a command name starting `http.`), what its answer promised, as fields.
    struct Entry {
        var command: String
        var fields: [String]
        var events: [(sequence: UInt64, digest: UInt64)]
    }

    /// Every complete line of the ack files in `folder` (a line cut short by the kill is not
    /// an acknowledgement and is skipped); also counts the lines skipped.
    static func read(folder: String) throws -> (entries: [Entry], torn: Int) {
        var entries: [Entry] = []
        var torn = 0
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            let text = String(decoding: data, as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() } else if !lines.isEmpty { lines.removeLast(); torn += 1 }
            for line in lines {
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count >= 2 else { torn += 1; continue }
                var entry = Entry(command: fields[0], fields: Array(fields.dropFirst()), events: [])
                if !entry.command.hasPrefix("http.") {
                    for field in fields.dropFirst(2) {
                        let parts = field.split(separator: ":")
                        guard parts.count == 2, let sequence = UInt64(parts[0]), let digest = UInt64(parts[1], radix: 16) else {
                            throw HarnessError("\(name): malformed ack line '\(line)'")
                        }
                        entry.events.append((sequence, digest))
                    }
                }
                entries.append(entry)
            }
        }
        return (entries, torn)
    }
}
