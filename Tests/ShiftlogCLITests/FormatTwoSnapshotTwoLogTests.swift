import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// A log of the last release before snapshot layout 3: `Fixtures/Logs/format-2-snapshot-2`
/// (store format 2, binary records, snapshots in layout 2) was written by commit bb160fd's
/// own code (see `Fixtures/Logs/README.md`), with metrics, learnings and reviews, handler
/// checkpoints, items arriving in the same millisecond, and a snapshot interval of 150 events;
/// `format-2-snapshot-2.state.json` is what that build printed for `state --json`.
@Suite struct FormatTwoSnapshotTwoLogTests {
    static let fixture = InspectCommandTests.fixtures.appendingPathComponent("Logs/format-2-snapshot-2").path
    static let expectedState = InspectCommandTests.fixtures.appendingPathComponent("Logs/format-2-snapshot-2.state.json").path

    /// The state that build printed, with no difference allowed: layout 2 already listed items
    /// created in the same millisecond in arrival order, and a log with no leader elected in it
    /// (a single-instance LMDB log) prints no `leadership` key.
    @Test func itReadsAsTheBuildThatWroteItReadItAndVerifies() async throws {
        let (now, then, output) = try await FixtureLogCopy.states(of: Self.fixture, expected: Self.expectedState)
        #expect(now["leadership"] == nil)
        #expect(NSDictionary(dictionary: now) == NSDictionary(dictionary: then), "the same state, field for field and in the same order")
        #expect(output == (try String(contentsOfFile: Self.expectedState, encoding: .utf8)), "and the same bytes")
        // The fixture has same-millisecond ties, listed in arrival order (sequential ids were
        // given in arrival order: item-9 before item-10) by this build as by that one.
        let items = try #require(now["workItems"] as? [[String: Any]])
        func arrivalOrder(_ item: [String: Any]) -> (String, Int) {
            (item["createdAt"] as! String, Int((item["id"] as! String).dropFirst("item-".count))!)
        }
        #expect(items.map(arrivalOrder).elementsEqual(items.map(arrivalOrder).sorted(by: <), by: ==))
        let ties = Dictionary(grouping: items.map { ($0["createdAt"] as! String, $0["id"] as! String) }, by: \.0)
            .values.map { $0.map(\.1) }
            .filter { $0.count > 1 && $0 != $0.sorted() }
        #expect(!ties.isEmpty, "the fixture has such ties, where id text would give another order (item-10 before item-9)")

        try await FixtureLogCopy.expectVerifiesAndReplays(Self.fixture, snapshots: Self.snapshotSequences, layout: "layout-2")
    }

    /// The sequences of the fixture's snapshots, as the writing run printed in `replay`.
    static let snapshotSequences: [UInt64] = [451, 601]

    @Test func itsLayoutTwoSnapshotsDecodeToTheFoldAtTheirSequence() throws {
        let log = try LMDBEventLog(path: Self.fixture, options: .init(readOnly: true))
        let snapshots = try log.snapshots()
        #expect(snapshots.map(\.sequence) == Self.snapshotSequences)
        for snapshot in snapshots {
            #expect(ProjectionSnapshotCodec.layout(of: snapshot.bytes) == 2)
            let decoded = try ProjectionSnapshotCodec.decode(snapshot.bytes)
            let fold = try Replay.fold(log, until: snapshot.sequence)
            #expect(decoded.lastSequence == snapshot.sequence && fold.lastSequence == snapshot.sequence)
            // What layout 2 holds, it holds exactly: arrivals and the retired records' sums too.
            #expect(ProjectionSnapshotCodec.encode(decoded, layout: 2) == snapshot.bytes)
            #expect(ProjectionSnapshotCodec.encode(fold, layout: 2) == snapshot.bytes)
            #expect(decoded.workers == fold.workers)
            #expect(decoded.workItems == fold.workItems)
            #expect(decoded.workItems.values.allSatisfy { $0.arrival > 0 }, "each item's arrival is held")
            #expect(decoded.metrics == fold.metrics && !decoded.metrics.isEmpty)
            #expect(decoded.learnings == fold.learnings && !decoded.learnings.isEmpty)
            #expect(decoded.reviews == fold.reviews && !decoded.reviews.isEmpty)
            #expect(decoded.retired == fold.retired)
            // What it does not hold, the leadership, reads as none, and no leader was elected in
            // this log: so the snapshot equals the fold in layout 3 as well. (Layout 4's ends
            // left to exit it cannot hold: the build that wrote it stopped every container at
            // once, so a fold between a completion and its stop has one the snapshot lacks.)
            #expect(decoded.leadership == nil && fold.leadership == nil)
            #expect(ProjectionSnapshotCodec.encode(decoded, layout: 3) == ProjectionSnapshotCodec.encode(fold, layout: 3))
        }

        // Folding on from the latest snapshot gives the full fold, in every field.
        let latest = try #require(snapshots.last)
        let onward = try Replay.fold(log, into: ProjectionSnapshotCodec.decode(latest.bytes))
        let full = try Replay.fold(log)
        #expect(full.lastSequence > latest.sequence, "the log goes on after its last snapshot")
        #expect(ProjectionSnapshotCodec.encode(onward) == ProjectionSnapshotCodec.encode(full))
        // The engine starts only from a snapshot of the current layout: it folds this whole log,
        // and what it holds is the full fold.
        let loaded = try Replay.load(log)
        #expect(loaded.snapshot == 0)
        #expect(ProjectionSnapshotCodec.encode(loaded.state) == ProjectionSnapshotCodec.encode(full))
        #expect(try log.checkpoints()["containers"] != nil, "the container handler's checkpoint is kept")
    }

    @Test func appendingWritesCurrentLayoutSnapshotsAndKeepsTheOldOnesReadable() async throws {
        let copy = try FixtureLogCopy(of: Self.fixture)
        defer { copy.remove() }
        let folder = copy.folder
        let before = try copy.fold()
        let engine = try copy.openEngine(after: before)
        // The engine opens on the full fold (it may record its configuration on top).
        let opened = engine.state
        #expect(opened.lastSequence >= before.lastSequence)
        #expect(opened.workItems == before.workItems && opened.workers == before.workers)
        #expect(opened.metrics == before.metrics && opened.learnings == before.learnings && opened.reviews == before.reviews)
        let added = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "After the upgrade"))
        await engine.close()

        let log = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        let latest = try #require(try log.latestSnapshot())
        #expect(latest.sequence > before.lastSequence)
        #expect(ProjectionSnapshotCodec.layout(of: latest.bytes) == ProjectionSnapshotCodec.currentLayout)
        #expect(try ProjectionSnapshotCodec.encode(ProjectionSnapshotCodec.decode(latest.bytes)) == ProjectionSnapshotCodec.encode(Replay.fold(log, until: latest.sequence)))
        #expect(try log.snapshots().map { ProjectionSnapshotCodec.layout(of: $0.bytes) }.contains(2), "the older ones are kept")
        let after = try Replay.fold(log)
        #expect(after.workItems[added.id]?.spec == "After the upgrade")
        #expect(after.workItems[added.id]?.arrival ?? 0 > before.workItems.values.map(\.arrival).max() ?? 0, "it arrives after every item of the old log")
        #expect(after.workItems.count == before.workItems.count + 1)
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 0, "\(output)")
        let (replayStatus, replay) = try await ShiftlogBinary.run(["replay", "--path", folder])
        #expect(replayStatus == 0, "\(replay)")
        #expect(replay.contains("snapshot #\(latest.sequence): equals the fold"), "\(replay)")
    }
}
