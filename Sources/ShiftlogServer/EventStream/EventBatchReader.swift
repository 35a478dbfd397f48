import Foundation
import NIOCore
import NIOPosix
import ShiftlogCore
import ShiftlogStore

/// Where every `GET /api/events` stream reads and encodes the log: a thread pool of its own
/// (``EventStreamSettings/readerThreads``, one by default), so that streams catching up on a
/// long log take at most that many cores, whatever their number, and never the request
/// handlers' threads.
///
/// Issue 22: the streams used to read and encode on the request handlers' threads; 200
/// clients catching up from the start of the log pushed a heartbeat's latency from a p50 of
/// 7.6 ms to over a second. Now at most `readerThreads` batches are read at once, in the
/// order asked (each stream asks for its next batch only once the client has taken the last,
/// so a slow client holds one batch and slows nobody else). The threads keep the ordinary
/// priority: lowered (nice 10), they starved every stream on a machine whose cores were busy,
/// and the suite's event-stream tests, each reading a handful of events, ran out of time.
///
/// What the batches send, together, is paced by ``CatchUpPace`` when a rate is given: a batch
/// is handed back only once its bytes' turn has come.
final class EventBatchReader: Sendable {
    private let pool: NIOThreadPool
    private let pace: CatchUpPace?

    init(threads: Int, bytesPerSecond: Int? = nil) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        pace = bytesPerSecond.map { CatchUpPace(bytesPerSecond: $0, burst: $0) }
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// The events after `sequence` (at most `limit`), encoded as server-sent events in chunks
    /// of about `chunkSize` bytes, with the last sequence read; `nil` when there is none yet.
    func batch(of log: any EventLog, after sequence: UInt64, limit: Int, chunkSize: Int) async throws
        -> (chunks: [ByteBuffer], last: UInt64)?
    {
        let batch: (chunks: [ByteBuffer], last: UInt64)? = try await pool.runIfActive {
            let events = try log.read(after: sequence, limit: limit)
            guard let last = events.last?.sequence else { return nil }
            let encoder = CanonicalJSON.compactEncoder()
            var chunks: [ByteBuffer] = []
            var buffer = ByteBuffer()
            for event in events {
                ServerSentEvent.write(id: event.sequence, event: event.type.rawValue, data: try encoder.encode(event), into: &buffer)
                if buffer.readableBytes >= chunkSize {
                    chunks.append(buffer)
                    buffer = ByteBuffer()
                }
            }
            if buffer.readableBytes > 0 { chunks.append(buffer) }
            return (chunks, last)
        }
        if let pace, let batch {
            let wait = pace.reserve(batch.chunks.reduce(0) { $0 + $1.readableBytes })
            if wait > .zero { try await Task.sleep(for: wait) }
        }
        return batch
    }
}
