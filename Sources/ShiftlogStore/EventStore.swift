/// A log an engine can open for writing: the events, the effect handlers' checkpoints and
/// the projection snapshots, kept together so that one write commits all three.
///
/// ``LMDBEventLog`` keeps them in a local folder, for one process. A shared store (PostgreSQL)
/// is written by several processes at once: each append is conditional on the sequence it
/// follows, and a writer that loses the race gets ``StoreError`` `conflict`, folds the events
/// it did not write and decides again.
public protocol EventStore: EventLog, CheckpointStore, SnapshotStore {
    /// Where the store is, for messages: a folder, or a database URL without its password.
    var location: String { get }
    /// Whether writes are refused.
    var isReadOnly: Bool { get }
    /// Whether other processes may append to this log while it is open, so that an engine must
    /// fold events it did not write.
    var isShared: Bool { get }
    /// Ends writing: later appends are refused, and whatever claims the store for this
    /// process is given up. Reads still work. Idempotent.
    func close()
    /// How the instances sharing this log choose their leader; `nil` when only this process
    /// writes it (it always leads).
    func leaderElection(instance: String) -> (any LeaderElection)?

    /// Visits the stored event records after `sequence` in sequence order, undecoded and
    /// unchecked: each key (the sequence as 8 big-endian bytes) and the record exactly as
    /// stored (the layout of DESIGN.md's "Event log format", CRC-32C included), both valid
    /// only during the call, until `visit` returns false. For tools that check records one by
    /// one (`shiftlog verify`) or compare them byte for byte; decode one with
    /// ``StoredRecord/decode(key:_:)``.
    func scanRecords(
        after sequence: UInt64, _ visit: (_ key: UnsafeRawBufferPointer, _ record: UnsafeRawBufferPointer) throws -> Bool
    ) throws

    /// Every stored projection snapshot, oldest first. One that fails its checksum is an error
    /// naming it.
    func snapshots() throws -> [StoredSnapshot]

    /// Events stored; with contiguous sequences this equals ``EventLog/lastSequence()``.
    func eventCount() throws -> Int
}

extension EventStore {
    /// `nil`: a store that only this process writes needs no election.
    public func leaderElection(instance: String) -> (any LeaderElection)? { nil }
}
