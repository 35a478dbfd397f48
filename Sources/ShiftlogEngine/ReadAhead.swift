import Dispatch
import Foundation
import ShiftlogCore
import ShiftlogStore
import Synchronization

/// Reads and decodes a log's batches on a thread of its own, up to `depth` batches ahead of
/// the caller, so that on two cores decoding the next batch overlaps folding this one.
///
/// The reader stops after a batch that is empty, fails, or reaches `until`; the caller reads
/// with ``next()`` until it sees the same.
final class ReadAhead: Sendable {
    private let batches = Mutex<[Result<[RecordedEvent], any Error>]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore

    init(_ log: any EventLog, after start: UInt64, until: UInt64, batchSize: Int, depth: Int = 2) {
        free = DispatchSemaphore(value: depth)
        let thread = Thread { [self] in
            var position = start
            while true {
                free.wait()
                let limit = Int(min(UInt64(batchSize), until - position))
                let result = Result { try log.read(after: position, limit: limit) }
                batches.withLock { $0.append(result) }
                filled.signal()
                guard case .success(let batch) = result, let last = batch.last, last.sequence < until else { return }
                position = last.sequence
            }
        }
        thread.name = "shiftlog.read-ahead"
        thread.start()
    }

    /// The next batch, in order; empty at the end of the log.
    func next() throws -> [RecordedEvent] {
        filled.wait()
        let result = batches.withLock { $0.removeFirst() }
        free.signal()
        return try result.get()
    }
}
