public import ShiftlogCore
public import ShiftlogStore

extension EventLog {
    /// Hands the events after `sequence` to `visit` a batch at a time, in order, until the log
    /// ends or `visit` returns false. Memory stays at one batch whatever the log's size.
    public func scan(
        after sequence: UInt64 = 0, batchSize: Int = 4_096, _ visit: ([RecordedEvent]) throws -> Bool
    ) throws {
        var position = sequence
        while true {
            let batch = try read(after: position, limit: batchSize)
            guard let last = batch.last else { return }
            guard try visit(batch) else { return }
            position = last.sequence
        }
    }
}
