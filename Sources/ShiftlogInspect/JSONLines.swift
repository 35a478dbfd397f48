public import ShiftlogCore
import ShiftlogStore
import Foundation

/// Logs as JSON lines: a header line, then one event per line in the readable form of
/// ShiftlogCore's `RecordedEvent` (sorted keys). Importing what was exported stores the very same
/// record bytes, so a round trip is exact.
///
/// ```
/// {"format":"shiftlog-events","version":1}
/// {"causationId":null,"correlationId":"cmd-1","payload":{…},"schemaVersion":1,"sequence":1,"time":"…","type":"workItemAdded"}
/// ```
public enum JSONLines {
    /// The header's `format`: what an import checks first.
    public static let format = "shiftlog-events"
    /// The header's `version`: this build writes 1, and refuses to import a higher one.
    public static let version = 1

    /// The header line, without its newline.
    public static var header: String { "{\"format\":\"\(format)\",\"version\":\(version)}" }

    /// One event as a line, without its newline.
    public static func line(_ event: RecordedEvent) throws -> String {
        try CanonicalJSON.line(event)
    }

    /// Imports an export into a new log at `path`, streaming: one line at a time is parsed
    /// and checked (the header, each event's fields, type, schema version and payload,
    /// sequence numbers 1, 2, 3, … — or any increasing ones with `renumber`, which numbers
    /// them from 1 — and times that never go back), and written in batches of 16,384 into a
    /// staging folder beside `path`, renamed into place at the end. A bad line stops the
    /// import and removes the staging folder: nothing is left at `path`.
    ///
    /// A staging folder left by an import that was killed (its process is gone) is removed
    /// first, and reported through `notice`.
    ///
    /// - Returns: how many events were imported.
    /// - Throws: ``InspectError/Code/badInput`` naming the line, the field and what is wrong;
    ///   ``InspectError/Code/destinationExists``; or the store's error.
    public static func importLines(
        from input: FileHandle, into path: String, renumber: Bool = false,
        notice: (String) -> Void = { _ in }, progress: ((Int) -> Void)? = nil
    ) throws -> Int {
        try StagingFolder.build(path, notice: notice) { staging in
            try stage(input, into: staging, renumber: renumber, progress: progress)
        }
    }

    /// Checks every line of `input` and writes the events into a new LMDB log at `staging`, in
    /// batches of 16,384. Returns how many events it wrote; a bad line throws, leaving `staging`
    /// for the caller to remove.
    static func stage(_ input: FileHandle, into staging: String, renumber: Bool, progress: ((Int) -> Void)?) throws -> Int {
        var reader = LineReader(input)
        var parser = LineParser(renumber: renumber)
        var log: LMDBEventLog?
        var batch: [RecordedEvent] = []
        var count = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            if log == nil { log = try LMDBEventLog(path: staging) }
            try log!.append(AppendBatch(events: batch))
            count += batch.count
            batch.removeAll(keepingCapacity: true)
            progress?(count)
        }
        while let line = try reader.next() {
            guard let event = try parser.parse(line) else { continue }
            batch.append(event)
            if batch.count == 16_384 { try flush() }
        }
        try parser.finish()
        try flush()
        if log == nil { log = try LMDBEventLog(path: staging) }
        log?.close()
        return count
    }

}
