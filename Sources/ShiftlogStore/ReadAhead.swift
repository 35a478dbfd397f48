import Dispatch
import Foundation
import ShiftlogCore
import Synchronization

/// Reads and decodes a log's batches on a thread of its own, up to `depth` batches ahead of
/// the caller, so that on two cores decoding the next batch overlaps using this one.
///
/// The reader stops after a batch that is empty, fails or reaches `last`, or when ``stop()``
/// is called; the caller reads with ``next()`` until it sees an empty batch or an error, or
/// calls `stop()`.
final class ReadAhead: Sendable {
    private let batches = Mutex<[Result<[RecordedEvent], any Error>]>([])
    private let stopped = Atomic<Bool>(false)
    private let filled = DispatchSemaphore(value: 0)
    // Starts at 0 and is signalled `depth` times: libdispatch traps when a semaphore is freed
    // with a value below the one it was created with, which a stop mid-read leaves behind.
    private let free = DispatchSemaphore(value: 0)

    init(_ log: any EventLog, after start: UInt64, through last: UInt64, batchSize: Int, depth: Int = 2) {
        for _ in 0..<depth { free.signal() }
        let thread = Thread { [self] in
            var position = start
            while true {
                free.wait()
                if stopped.load(ordering: .acquiring) { return }
                // At `last`, an empty read ends the caller's loop.
                let limit = Int(min(UInt64(batchSize), last - min(position, last)))
                let result = Result { limit == 0 ? [] : try log.read(after: position, limit: limit) }
                batches.withLock { $0.append(result) }
                filled.signal()
                guard case .success(let batch) = result, let end = batch.last else { return }
                position = end.sequence
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

    /// Lets the reading thread end once its current read (if any) is done.
    func stop() {
        stopped.store(true, ordering: .releasing)
        free.signal()
    }
}
