import ShiftlogCore
public import ShiftlogStore

/// Copies a log from one store into another, in order and in batches, through the records'
/// one encoder: a record the source holds in the format this build writes is stored in the
/// destination as the very same bytes.
public enum LogCopy {
    /// What a whole copy moved.
    public struct Report: Sendable, Codable, Hashable {
        /// Events copied (1…`events`).
        public var events: UInt64
        /// Handler checkpoints copied.
        public var checkpoints: Int
        /// The sequence of the snapshot copied, if the source had one.
        public var snapshot: UInt64?
        /// Records whose bytes differ in the destination: format-1 (JSON) records, stored again
        /// in this build's format — the same events. 0 means every record is byte-identical.
        public var reencoded: UInt64
    }

    /// Appends every event of `source` to `destination`, which must be empty (its next
    /// sequence is 1), in batches of `batchSize`; returns how many were copied.
    ///
    /// - Throws: the stores' errors. One from the destination says how many events it already
    ///   holds, since a copy broken off there is not undone.
    @discardableResult
    public static func events(from source: any EventLog, to destination: any EventStore, batchSize: Int = 16_384) throws -> UInt64 {
        var copied: UInt64 = 0
        while true {
            let batch = try source.read(after: copied, limit: batchSize)
            guard let last = batch.last else { return copied }
            try append(AppendBatch(events: batch), to: destination, copied: copied)
            copied = last.sequence
        }
    }

    /// Copies a whole log: its events as of the start of the copy (each record's checksum,
    /// decoding, sequence and time order checked on the way, as an import checks its lines),
    /// its handler checkpoints and its latest projection snapshot, which go in the last batch,
    /// so an engine opening the copy starts where one opening the source would. `destination`
    /// must hold no log. The source may be live: what is appended after the copy starts is left
    /// out, and the checkpoints never point past what was copied.
    ///
    /// - Throws: ``InspectError/Code/destinationExists``; ``InspectError/Code/badInput`` for a
    ///   record out of time order; the stores' errors (a damaged record is `corrupt`, a missing
    ///   one `sequenceGap`).
    public static func whole(
        from source: any EventStore, to destination: any EventStore, batchSize: Int = 16_384,
        progress: ((UInt64) -> Void)? = nil
    ) throws -> Report {
        try JSONLines.requireEmpty(destination)
        // Checkpoints and the snapshot before the end: both are written with or after the
        // events they cover, so they never point past it.
        let checkpoints = try source.checkpoints()
        let snapshot = try source.latestSnapshot()
        let end = try source.lastSequence()
        var batch: [RecordedEvent] = []
        var copied: UInt64 = 0
        var reencoded: UInt64 = 0
        var previous: Timestamp?
        func flush(last: Bool) throws {
            let append = AppendBatch(
                events: batch, checkpoints: last ? checkpoints : [:], snapshot: last ? snapshot : nil)
            guard !append.isEmpty else { return }
            try Self.append(append, to: destination, copied: copied)
            copied = batch.last?.sequence ?? copied
            batch.removeAll(keepingCapacity: true)
            progress?(copied)
        }
        if end > 0 {
            try source.scanRecords(after: 0) { key, record in
                let event = try StoredRecord.decode(key: key, record)
                let expected = copied + UInt64(batch.count) + 1
                guard event.sequence == expected else {
                    throw StoreError(.sequenceGap, "\(source.location): event \(expected) is missing (next is \(event.sequence))")
                }
                if let previous, event.time < previous {
                    throw InspectError(.badInput, "\(source.location): event \(event.sequence) at \(event.time.iso8601) is before the event ahead of it")
                }
                previous = event.time
                if try !EventRecord.encode(event).elementsEqual(record) { reencoded += 1 }
                batch.append(event)
                if batch.count == batchSize { try flush(last: false) }
                return event.sequence < end
            }
            let reached = copied + UInt64(batch.count)
            guard reached == end else {
                throw StoreError(.sequenceGap, "\(source.location): the log ends at event \(reached), before its last sequence \(end)")
            }
        }
        try flush(last: true)
        return Report(events: end, checkpoints: checkpoints.count, snapshot: snapshot?.sequence, reencoded: reencoded)
    }

    /// ``whole(from:to:batchSize:progress:)`` into a new LMDB folder at `path`, built in a
    /// staging folder beside it and renamed into place at the end, as an import is: a copy that
    /// fails leaves nothing at `path`.
    public static func whole(
        from source: any EventStore, intoFolder path: String, notice: (String) -> Void = { _ in },
        progress: ((UInt64) -> Void)? = nil
    ) throws -> Report {
        try StagingFolder.build(path, notice: notice) { staging in
            let destination = try LMDBEventLog(path: staging)
            defer { destination.close() }
            return try whole(from: source, to: destination, progress: progress)
        }
    }

    private static func append(_ batch: AppendBatch, to destination: any EventStore, copied: UInt64) throws {
        do {
            try destination.append(batch)
        } catch let error as StoreError {
            let holds = copied == 0 ? "nothing was copied" : "\(destination.location) holds events 1…\(copied) of it"
            throw StoreError(error.code, "\(error.message) (the copy stopped: \(holds))")
        }
    }
}
