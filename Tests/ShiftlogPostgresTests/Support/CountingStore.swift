import ShiftlogCore
import ShiftlogStore
import Synchronization

/// A store that counts the reads of events made through it and hands everything to `base`:
/// how many round trips an engine's follower costs.
final class CountingStore: EventStore {
    let base: any EventStore
    private let reads = Atomic(0)

    init(_ base: any EventStore) { self.base = base }

    /// Calls of ``read(after:limit:)`` so far.
    var readCount: Int { reads.load(ordering: .relaxed) }

    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] {
        reads.add(1, ordering: .relaxed)
        return try base.read(after: sequence, limit: limit)
    }

    func append(_ batch: AppendBatch) throws { try base.append(batch) }
    func withAppendsExcluded(_ body: () -> Void) throws { try base.withAppendsExcluded(body) }
    func lastSequence() throws -> UInt64 { try base.lastSequence() }
    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        await base.waitForEvents(after: sequence, pollInterval: pollInterval)
    }
    var announcedSequence: UInt64? { base.announcedSequence }
    func checkpoint(for handler: String) throws -> UInt64? { try base.checkpoint(for: handler) }
    func checkpoints() throws -> [String: UInt64] { try base.checkpoints() }
    func latestSnapshot() throws -> StoredSnapshot? { try base.latestSnapshot() }
    var location: String { base.location }
    var isReadOnly: Bool { base.isReadOnly }
    var isShared: Bool { base.isShared }
    func close() { base.close() }
    func leaderElection(instance: String) -> (any LeaderElection)? { base.leaderElection(instance: instance) }
    func scanRecords(
        after sequence: UInt64, _ visit: (_ key: UnsafeRawBufferPointer, _ record: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try base.scanRecords(after: sequence, visit)
    }
    func snapshots() throws -> [StoredSnapshot] { try base.snapshots() }
    func eventCount() throws -> Int { try base.eventCount() }
}
