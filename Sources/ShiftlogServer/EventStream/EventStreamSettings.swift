import ShiftlogCore

/// How `GET /api/events` paces and bounds each stream.
public struct EventStreamSettings: Sendable {
    /// After this long without a message a comment line (`: keep-alive`) is sent, so proxies
    /// keep an idle connection open (15 s).
    public var keepAliveInterval: Duration = .seconds(15)
    /// A client that has not taken a write within this long is dropped: its connection is
    /// closed and `shiftlog_event_stream_dropped_total` counts it (10 s).
    public var stallTimeout: Duration = .seconds(10)
    /// Events read from the log in one read transaction (256).
    public var batchSize = 256
    /// Bytes of encoded events gathered before they are written (64 KiB); with NIO's write
    /// buffer, this bounds what one client holds in the server's memory.
    public var writeSize = 64 << 10
    /// Threads that read and encode every stream's batches (1): how many batches are read at
    /// once, whatever the number of clients.
    public var readerThreads = 1
    /// Encoded bytes a second that all streams together are sent, after a burst of a second's
    /// worth (`CatchUpPace`); `nil` sends as fast as the clients take them. Streams following
    /// the log send far less; streams catching up on a long log are slowed to it, so that
    /// their sending leaves the cores to the writer and the request handlers
    /// (`EVENT_STREAM_CATCH_UP_MIB_PER_SECOND`, 32 MiB/s).
    public var catchUpBytesPerSecond: Int? = ShiftlogSettings.eventStreamCatchUpMiBPerSecond.defaultValue << 20

    /// The defaults given with each field.
    public init() {}
}
