import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import ShiftlogCore
import ShiftlogStore

/// One client's `GET /api/events`: the log's events after a sequence as server-sent events,
/// then each new one as it is committed.
///
/// The stream's batches are read and encoded by the server's `EventBatchReader`, off the
/// request handlers' threads, one at a time for this client: the next batch is asked for only
/// once the client has taken the last, and the stream waits on the log's append signal when
/// it has caught up. The writer never holds a client's events nor waits for a client. What a
/// client may hold in the server's memory is bounded: one batch of events, encoded in chunks
/// of about ``EventStreamSettings/writeSize`` bytes, and NIO's write buffer; a write the
/// client has not taken within ``EventStreamSettings/stallTimeout`` closes the connection and
/// counts a drop. The stream ends at graceful shutdown, at once even when a write is waiting for
/// the client (its connection is closed).
struct EventStream: Sendable {
    let log: any EventLog
    let reader: EventBatchReader
    /// The sequence the stream starts after.
    let after: UInt64
    let settings: EventStreamSettings
    let metrics: EventStreamMetrics
    /// The client's connection, closed to drop a client that stopped reading.
    let channel: any Channel
    let logger: Logger

    /// The client did not take a write in time, and its connection was closed.
    struct Dropped: Error {}

    /// Graceful shutdown began while a write waited for the client, and its connection was
    /// closed.
    struct ShutDown: Error {}

    /// Writes the stream until graceful shutdown (then finishes the body), until the client
    /// is dropped, or until a write fails (the client went away).
    func run(_ writer: inout any ResponseBodyWriter) async throws {
        metrics.opened()
        defer { metrics.closed() }
        let clock = ContinuousClock()
        var position = after
        var lastWrite = clock.now
        do {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                guard let batch = try await reader.batch(
                    of: log, after: position, limit: settings.batchSize, chunkSize: settings.writeSize)
                else {
                    let idle = clock.now - lastWrite
                    if idle >= settings.keepAliveInterval {
                        var comment = ByteBuffer()
                        ServerSentEvent.writeComment("keep-alive", into: &comment)
                        try await write(comment, to: &writer)
                        lastWrite = clock.now
                        continue
                    }
                    let log = log
                    let wait = settings.keepAliveInterval - idle
                    await cancelWhenGracefulShutdown { [position] in
                        await log.waitForEvents(after: position, pollInterval: wait)
                    }
                    continue
                }
                for chunk in batch.chunks { try await write(chunk, to: &writer) }
                position = batch.last
                lastWrite = clock.now
            }
            try await writer.finish(nil)
        } catch is ShutDown {
            logger.debug("Closed an event stream whose client was not reading, for the shutdown", metadata: ["position": "\(position)"])
        } catch is Dropped {
            metrics.dropped()
            logger.notice(
                "Dropped an event stream client that did not read for \(settings.stallTimeout)",
                metadata: ["position": "\(position)"])
        }
    }

    /// Writes `buffer`. A write the client has not taken within the stall timeout closes the
    /// connection and throws ``Dropped`` (a write that completes as the timer fires counts as
    /// dropped too: the connection is closed either way). A write still waiting for the client
    /// when graceful shutdown begins closes the connection and throws ``ShutDown``: a client
    /// that stopped reading never holds up the service's stop.
    private func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
        let channel = channel
        let timeout = settings.stallTimeout
        let ending = try await withThrowingTaskGroup(of: WriteEnding.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return .taken
                }
                channel.close(promise: nil)
                return .stalled
            }
            group.addTask {
                do {
                    try await gracefulShutdown()
                } catch {
                    return .taken
                }
                channel.close(promise: nil)
                return .shutDown
            }
            do {
                try await writer.write(buffer)
            } catch {
                group.cancelAll()
                for try await ending in group where ending != .taken { return ending }
                throw error
            }
            group.cancelAll()
            for try await ending in group where ending != .taken { return ending }
            return .taken
        }
        switch ending {
        case .taken: return
        case .stalled: throw Dropped()
        case .shutDown: throw ShutDown()
        }
    }

    /// How one write ended.
    private enum WriteEnding: Sendable {
        /// The client took it (or the write failed on its own).
        case taken
        /// The stall timeout closed the connection first.
        case stalled
        /// Graceful shutdown closed the connection first.
        case shutDown
    }
}
