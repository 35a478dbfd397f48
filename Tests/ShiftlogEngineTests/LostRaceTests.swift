import Foundation
import Logging
@testable import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// Issue 22 §6: on a shared log, a batch that kept losing the race for the next sequence was
/// failed after 64 losses, so a command failed because other instances were faster. A batch
/// now takes its turn after ``CommandWriter/racesBeforeTakingTurn`` losses, and a turn cannot
/// be lost.
@Suite struct LostRaceTests {
    /// Given a shared log where a rival instance wins every race it can, when a command is
    /// submitted, then it loses exactly `racesBeforeTakingTurn` races, takes its turn, and is
    /// stored after the rival's events, decided on them.
    @Test func aWriterThatKeepsLosingTakesItsTurnAndIsStored() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-lost-race-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = RivalledLog(base: try LMDBEventLog(path: folder))
        let writer = CommandWriter(
            log: log, isShared: true, state: LifecycleState(), lastSnapshot: 0,
            clock: ManualTimeSource(Timestamp(iso8601: "2026-03-01T09:00:00Z")!), ids: SequentialIDs(),
            configuration: EngineConfiguration(), logger: Logger(label: "test"))
        let result = try await writer.submit(.addWorkItem(NewWorkItem(repo: "acme/mine")))
        await writer.close()

        #expect(log.lostRaces == CommandWriter.racesBeforeTakingTurn)
        #expect(log.turns == 1)
        let stored = try log.base.read(after: 0, limit: 100)
        let repos = stored.compactMap { event -> String? in
            if case .workItemAdded(let added) = event.event { added.repo } else { nil }
        }
        #expect(repos == Array(repeating: "acme/rival", count: CommandWriter.racesBeforeTakingTurn) + ["acme/mine"])
        #expect(result.events.map(\.sequence) == [UInt64(CommandWriter.racesBeforeTakingTurn + 1)])
        #expect(try Replay.fold(log.base) == writer.current)
    }
}

/// A real LMDB log with a rival writer: every append made outside a turn finds that the rival
/// has just appended an item of its own, so it is refused as a lost race
/// (`StoreError` `conflict`); appends during a turn go through.
private final class RivalledLog: EventLog {
    let base: LMDBEventLog
    private struct Counts { var lostRaces = 0, turns = 0, inTurn = false }
    private let counts = Mutex(Counts())

    init(base: LMDBEventLog) { self.base = base }

    var lostRaces: Int { counts.withLock { $0.lostRaces } }
    var turns: Int { counts.withLock { $0.turns } }

    func append(_ batch: AppendBatch) throws {
        guard !counts.withLock({ $0.inTurn }), let first = batch.events.first else { return try base.append(batch) }
        let rival = RecordedEvent(
            sequence: first.sequence, time: first.time, correlationId: "rival-\(first.sequence)", causationId: nil,
            event: .workItemAdded(WorkItemAdded(
                workItemId: "rival-\(first.sequence)", repo: "acme/rival", branch: nil, spec: "theirs", description: nil,
                type: .execution, priority: .medium, maxIterations: 50, parentWorkItemId: nil, prNumber: nil, source: nil,
                sourceRef: nil, metadata: [:])))
        try base.append(AppendBatch(events: [rival]))
        counts.withLock { $0.lostRaces += 1 }
        throw StoreError(.conflict, "event \(first.sequence) was appended by another writer first")
    }

    func withAppendsExcluded(_ body: () -> Void) throws {
        counts.withLock {
            $0.turns += 1
            $0.inTurn = true
        }
        defer { counts.withLock { $0.inTurn = false } }
        body()
    }

    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] { try base.read(after: sequence, limit: limit) }
    func lastSequence() throws -> UInt64 { try base.lastSequence() }
    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        await base.waitForEvents(after: sequence, pollInterval: pollInterval)
    }
}
