#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix
import ShiftlogCore
import ShiftlogStore

/// Where every `GET /api/events` stream reads and encodes the log: a thread pool of its own
/// (``EventStreamSettings/readerThreads``, one by default), its threads at a lower priority
/// (nice 10), so that streams catching up on a long log take the cores only when the writer
/// and the request handlers leave them idle.
///
/// Issue 22: the streams used to read and encode on the request handlers' threads; 200
/// clients catching up from the start of the log pushed a heartbeat's latency from a p50 of
/// 7.6 ms to over a second. Now at most `readerThreads` batches are read at once, in the
/// order asked (each stream asks for its next batch only once the client has taken the last,
/// so a slow client holds one batch and slows nobody else).
final class EventBatchReader: Sendable {
    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// The events after `sequence` (at most `limit`), encoded as server-sent events in chunks
    /// of about `chunkSize` bytes, with the last sequence read; `nil` when there is none yet.
    func batch(of log: any EventLog, after sequence: UInt64, limit: Int, chunkSize: Int) async throws
        -> (chunks: [ByteBuffer], last: UInt64)?
    {
        try await pool.runIfActive {
            Self.lowerThisThreadsPriority()
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
    }

    /// Nice 10 for the calling thread: on Linux the nice value belongs to each thread, and
    /// `setpriority(PRIO_PROCESS, 0, …)` changes the caller's alone (setpriority(2), "NOTES").
    /// Where the system refuses, it stays as it is.
    private static func lowerThisThreadsPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
