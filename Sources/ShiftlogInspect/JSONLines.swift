public import ShiftlogCore
import ShiftlogStore
import Foundation

/// Logs as JSON lines: a header line, then one event per line in the readable form of
/// ``RecordedEvent`` (sorted keys). Importing what was exported stores the very same
/// record bytes, so a round trip is exact.
///
/// ```
/// {"format":"shiftlog-events","version":1}
/// {"causationId":null,"correlationId":"cmd-1","payload":{…},"schemaVersion":1,"sequence":1,"time":"…","type":"workItemAdded"}
/// ```
public enum JSONLines {
    public static let format = "shiftlog-events"
    public static let version = 1

    /// The header line, without its newline.
    public static var header: String { "{\"format\":\"\(format)\",\"version\":\(version)}" }

    /// One event as a line, without its newline.
    public static func line(_ event: RecordedEvent) throws -> String {
        try CanonicalJSON.line(event)
    }

    /// What ``validate(_:renumber:)`` found: the events, in order.
    public struct Parsed: Sendable {
        public var events: [RecordedEvent]
    }

    /// Parses and checks every line of an export: the header, each event (its fields, its
    /// type and schema version, its payload), sequence numbers 1, 2, 3, … (or any increasing
    /// ones with `renumber`, which then numbers them from 1) and times that never go back.
    ///
    /// - Throws: ``InspectError/Code/badInput`` naming the first bad line and what is wrong.
    public static func validate(_ data: Data, renumber: Bool = false) throws(InspectError) -> Parsed {
        var events: [RecordedEvent] = []
        let decoder = JSONDecoder()
        var lineNumber = 0
        var sawHeader = false
        var previous: RecordedEvent?
        var renumbered: [UInt64: UInt64] = [:]
        func bad(_ message: String) -> InspectError { InspectError(.badInput, "line \(lineNumber): \(message)") }
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[start..<end]
            start = end < data.endIndex ? data.index(after: end) : end
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
                continue
            }
            if !sawHeader {
                struct Header: Decodable { var format: String; var version: Int }
                guard let header = try? decoder.decode(Header.self, from: line), header.format == format else {
                    throw bad("not a Shiftlog export: the first line must be \(Self.header)")
                }
                guard header.version <= version else {
                    throw bad("export format version \(header.version) is newer than this build reads (\(version))")
                }
                sawHeader = true
                continue
            }
            var event: RecordedEvent
            do {
                event = try decoder.decode(RecordedEvent.self, from: line)
            } catch let error as EventDecodingError {
                throw bad(error.message)
            } catch {
                throw bad(CanonicalJSON.describe(error))
            }
            if renumber {
                guard previous.map({ event.sequence > $0.sequence }) ?? true else {
                    throw bad("sequence \(event.sequence) does not follow \(previous!.sequence)")
                }
            } else {
                let expected = (previous?.sequence ?? 0) + 1
                guard event.sequence == expected else {
                    throw bad("sequence \(event.sequence) where \(expected) was expected (a slice? import it with --renumber)")
                }
            }
            if let previous, event.time < previous.time {
                throw bad("time \(event.time.iso8601) is before the previous event's \(previous.time.iso8601)")
            }
            previous = event
            if renumber {
                let new = UInt64(events.count + 1)
                renumbered[event.sequence] = new
                event.sequence = new
                // A cause inside the slice follows it; one outside it is kept, marked as such.
                if let cause = event.causationId, cause.hasPrefix("seq:"), let old = UInt64(cause.dropFirst(4)) {
                    event.causationId = renumbered[old].map { "seq:\($0)" } ?? "outside-slice:\(old)"
                }
            }
            events.append(event)
        }
        guard sawHeader else {
            throw InspectError(.badInput, "line 1: the file is empty; expected the header \(Self.header)")
        }
        return Parsed(events: events)
    }

    /// Writes `events` into a new log at `path`, in batches, through a temporary folder
    /// renamed into place at the end: on any error, nothing is left at `path`.
    public static func importEvents(_ events: [RecordedEvent], into path: String, progress: ((Int) -> Void)? = nil) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path), !isEmptyFolder(path) {
            throw InspectError(.destinationExists, "\(path) exists and is not empty; import writes only into a new folder")
        }
        let staging = path + ".importing-\(ProcessInfo.processInfo.processIdentifier)"
        try? manager.removeItem(atPath: staging)
        do {
            let log = try LMDBEventLog(path: staging)
            var index = 0
            while index < events.count {
                let batch = Array(events[index..<min(index + 16_384, events.count)])
                try log.append(AppendBatch(events: batch))
                index += batch.count
                progress?(index)
            }
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
            try manager.moveItem(atPath: staging, toPath: path)
        } catch {
            try? manager.removeItem(atPath: staging)
            throw error
        }
    }

    private static func isEmptyFolder(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }
}
