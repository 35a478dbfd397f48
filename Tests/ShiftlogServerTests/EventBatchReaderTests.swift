import Dispatch
import Foundation
@testable import ShiftlogCore
@testable import ShiftlogServer
import ShiftlogStore
import Synchronization
import Testing

/// Issue 22 §4: 200 event streams catching up from the start of the log read and encoded on
/// the request handlers' threads and starved the heartbeats. Their batches are now read by
/// the server's `EventBatchReader`, on threads of its own, a bounded number at once.
@Suite struct EventBatchReaderTests {
    /// Given a reader with two threads, when twenty streams ask for a batch at once, then no
    /// more than two reads run at any moment, and every stream gets its batch.
    @Test func atMostItsThreadsReadAtOnceWhateverTheNumberOfStreams() async throws {
        let log = GatedLog()
        let reader = EventBatchReader(threads: 2)
        let batches = Task {
            try await withThrowingTaskGroup(of: UInt64?.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await reader.batch(of: log, after: 0, limit: 10, chunkSize: 1 << 16)?.last }
                }
                return try await group.reduce(into: [UInt64?]()) { $0.append($1) }
            }
        }
        // Both threads are held in a read; the other eighteen wait their turn.
        await log.waitUntilReading(2)
        for _ in 0..<20 { log.release() }
        let lasts = try await batches.value
        #expect(lasts == Array(repeating: 3, count: 20))
        #expect(log.mostAtOnce == 2)
    }

    /// Given a log with no event after the position, the reader answers nil: the stream then
    /// waits on the log's signal instead.
    @Test func nothingNewIsNil() async throws {
        let log = GatedLog()
        log.release()
        #expect(try await EventBatchReader(threads: 1).batch(of: log, after: 3, limit: 10, chunkSize: 1 << 16) == nil)
    }
}

/// Three events; every read waits for a ``release()``, counting how many wait at once.
private final class GatedLog: EventLog {
    private let gate = DispatchSemaphore(value: 0)
    private struct Counts { var reading = 0, most = 0 }
    private let counts = Mutex(Counts())
    private let reading = ProgressSignal()

    var mostAtOnce: Int { counts.withLock { $0.most } }

    func release() { gate.signal() }

    func waitUntilReading(_ n: UInt64) async { await reading.wait(until: n) }

    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] {
        let now = counts.withLock { counts -> Int in
            counts.reading += 1
            counts.most = max(counts.most, counts.reading)
            return counts.reading
        }
        reading.advance(to: UInt64(now))
        gate.wait()
        counts.withLock { $0.reading -= 1 }
        let time = Timestamp(iso8601: "2026-03-01T09:00:00Z")!
        return (UInt64(1)...3).filter { $0 > sequence }.map {
            RecordedEvent(
                sequence: $0, time: time, correlationId: "c", causationId: nil,
                event: .workItemCancelled(.init(workItemId: "item-\($0)")))
        }
    }

    func append(_ batch: AppendBatch) throws {}
    func lastSequence() throws -> UInt64 { 3 }
    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {}
}
