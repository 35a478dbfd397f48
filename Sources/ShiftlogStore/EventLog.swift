public import ShiftlogCore

/// The append-only event log the engine writes and every reader folds. LMDB implements it
/// today; a shared backend can implement it later without touching the core.
public protocol EventLog: Sendable {
    /// Appends the batch's events (and checkpoints, and snapshot) in one transaction that is
    /// durable before this returns. The first event's sequence must follow the last stored.
    func append(_ batch: AppendBatch) throws
    /// Up to `limit` events with sequence > `sequence`, in order.
    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent]
    /// The sequence of the last event; 0 when the log is empty.
    func lastSequence() throws -> UInt64
    /// Suspends until an event after `sequence` may exist: on an append by this process at
    /// once, otherwise (another process writing) after at most `pollInterval`.
    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async
    /// The highest sequence this process has seen announced for the log, without asking the
    /// store: its own appends and, on a shared store, the others' notifications. `nil` when
    /// the store does not keep track (the default): then only a read can tell.
    var announcedSequence: UInt64? { get }
    /// Runs `body` while no other writer of the log can append, so that what `body` reads
    /// of the log's end is still its end when it appends: the turn a writer takes after
    /// losing the race for the next sequence several times in a row, so that it never
    /// loses forever. A log with one writer (the default) runs `body` as it is.
    ///
    /// - Throws: the store's error when the turn cannot be taken (`body` has not run then).
    func withAppendsExcluded(_ body: () -> Void) throws
}

extension EventLog {
    /// Not tracked: a reader must ask the store.
    public var announcedSequence: UInt64? { nil }

    /// One writer: nobody else appends.
    public func withAppendsExcluded(_ body: () -> Void) throws { body() }

    /// Hands the events after `sequence` (up to `through`) to `visit` a batch at a time, in
    /// order, until the log ends or `visit` returns false. The next batch is read and decoded on
    /// another thread while `visit` works on this one; memory stays at three
    /// batches whatever the log's size, and nothing past `through` is read.
    public func scan(
        after sequence: UInt64 = 0, through last: UInt64 = .max, batchSize: Int = 4_096,
        _ visit: ([RecordedEvent]) throws -> Bool
    ) throws {
        guard sequence < last else { return }
        let reader = ReadAhead(self, after: sequence, through: last, batchSize: batchSize)
        defer { reader.stop() }
        while true {
            let batch = try reader.next()
            guard !batch.isEmpty, try visit(batch) else { return }
        }
    }

    /// Every event after `sequence`, then each new one as it is appended, until the task is
    /// cancelled.
    public func follow(after sequence: UInt64, batchSize: Int = 1_024, pollInterval: Duration = .milliseconds(250))
        -> AsyncThrowingStream<RecordedEvent, any Error>
    {
        AsyncThrowingStream { continuation in
            let task = Task {
                var position = sequence
                do {
                    while !Task.isCancelled {
                        let batch = try read(after: position, limit: batchSize)
                        for event in batch { continuation.yield(event) }
                        position = batch.last?.sequence ?? position
                        if batch.count < batchSize { await waitForEvents(after: position, pollInterval: pollInterval) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Handler checkpoints: the last sequence each effect handler has applied.
public protocol CheckpointStore: Sendable {
    /// The last sequence `handler` has applied; `nil` when it has none yet.
    func checkpoint(for handler: String) throws -> UInt64?
    /// Every handler's checkpoint, by handler name.
    func checkpoints() throws -> [String: UInt64]
}

/// Saved projections, so that opening a large log folds only the tail.
public protocol SnapshotStore: Sendable {
    /// The most recent snapshot, if any.
    func latestSnapshot() throws -> StoredSnapshot?
}

/// What one durable write carries: events, handler positions and optionally a snapshot.
public struct AppendBatch: Sendable {
    /// The events to append, their sequences following the last stored.
    public var events: [RecordedEvent]
    /// Handler checkpoints to set, by handler name.
    public var checkpoints: [String: UInt64]
    /// A projection snapshot to store with them.
    public var snapshot: StoredSnapshot?

    /// A batch of `events`, `checkpoints` and `snapshot`, each empty by default.
    public init(events: [RecordedEvent] = [], checkpoints: [String: UInt64] = [:], snapshot: StoredSnapshot? = nil) {
        self.events = events
        self.checkpoints = checkpoints
        self.snapshot = snapshot
    }

    /// Whether the batch carries nothing at all.
    public var isEmpty: Bool { events.isEmpty && checkpoints.isEmpty && snapshot == nil }
}

/// Encoded projections as of a sequence number.
public struct StoredSnapshot: Sendable, Hashable {
    /// The sequence of the last event the projections include.
    public var sequence: UInt64
    /// The encoded projections, as ShiftlogCore's `ProjectionSnapshotCodec` writes them.
    public var bytes: [UInt8]

    /// A snapshot of the projections encoded in `bytes`, as of `sequence`.
    public init(sequence: UInt64, bytes: [UInt8]) {
        self.sequence = sequence
        self.bytes = bytes
    }
}
