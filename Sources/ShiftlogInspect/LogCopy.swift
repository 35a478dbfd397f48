import ShiftlogCore
public import ShiftlogStore

/// Copies a log's events from one store into another, in order and in batches, through the
/// records' one encoder: a record the source holds in the format this build writes is stored
/// in the destination as the very same bytes.
public enum LogCopy {
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
            do {
                try destination.append(AppendBatch(events: batch))
            } catch let error as StoreError {
                let holds = copied == 0 ? "nothing was copied" : "\(destination.location) holds events 1…\(copied) of it"
                throw StoreError(error.code, "\(error.message) (the copy stopped: \(holds))")
            }
            copied = last.sequence
        }
    }
}
