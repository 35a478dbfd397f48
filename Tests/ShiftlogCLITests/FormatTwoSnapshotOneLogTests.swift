import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// A log of the last release before snapshot layout 2: `Fixtures/Logs/format-2-snapshot-1`
/// (store format 2, binary records, snapshots in layout 1) was written by commit af0a02d's
/// own code (see `Fixtures/Logs/README.md`), with metrics, learnings and reviews, handler
/// checkpoints, items arriving in the same millisecond, and snapshots every 150 events;
/// `format-2-snapshot-1.state.json` is what that build printed for `state --json`.
@Suite struct FormatTwoSnapshotOneLogTests {
    static let fixture = InspectCommandTests.fixtures.appendingPathComponent("Logs/format-2-snapshot-1").path
    static let expectedState = InspectCommandTests.fixtures.appendingPathComponent("Logs/format-2-snapshot-1.state.json").path

    /// The state that build printed, but for one change made on purpose since: items created
    /// in the same millisecond are listed in arrival order (snapshot layout 2), where that
    /// build listed them by id text (`item-10` before `item-9`).
    @Test func itReadsAsTheBuildThatWroteItReadItAndVerifies() async throws {
        let (now, then, _) = try await FixtureLogCopy.states(of: Self.fixture, expected: Self.expectedState)
        #expect(Set(now.keys) == Set(then.keys))
        for key in then.keys where key != "workItems" {
            #expect(NSDictionary(dictionary: [key: now[key] as Any]) == NSDictionary(dictionary: [key: then[key] as Any]), "\(key)")
        }
        let items = try #require(now["workItems"] as? [[String: Any]])
        let itemsThen = try #require(then["workItems"] as? [[String: Any]])
        func byId(_ items: [[String: Any]]) -> [String: NSDictionary] {
            Dictionary(uniqueKeysWithValues: items.map { ($0["id"] as! String, NSDictionary(dictionary: $0)) })
        }
        #expect(byId(items) == byId(itemsThen), "the same items, field for field")
        // Sequential ids were given in arrival order: item-9 arrived before item-10.
        func arrivalOrder(_ item: [String: Any]) -> (String, Int) {
            (item["createdAt"] as! String, Int((item["id"] as! String).dropFirst("item-".count))!)
        }
        #expect(items.map(arrivalOrder).elementsEqual(items.map(arrivalOrder).sorted(by: <), by: ==))
        #expect(items.map { $0["id"] as! String } != itemsThen.map { $0["id"] as! String }, "the fixture has such ties")
        try await FixtureLogCopy.expectVerifiesAndReplays(Self.fixture, snapshots: [451, 602], layout: "layout-1")
    }

    @Test func itsLayoutOneSnapshotDecodesToTheFoldAtItsSequence() throws {
        let log = try LMDBEventLog(path: Self.fixture, options: .init(readOnly: true))
        let snapshot = try #require(try log.latestSnapshot())
        #expect(ProjectionSnapshotCodec.layout(of: snapshot.bytes) == 1)
        let decoded = try ProjectionSnapshotCodec.decode(snapshot.bytes)
        let fold = try Replay.fold(log, until: snapshot.sequence)
        #expect(decoded.lastSequence == snapshot.sequence && fold.lastSequence == snapshot.sequence)
        // What layout 1 holds, it holds exactly: the records layout 2 bounds among it.
        #expect(ProjectionSnapshotCodec.encode(decoded, layout: 1) == snapshot.bytes)
        #expect(ProjectionSnapshotCodec.encode(fold, layout: 1) == snapshot.bytes)
        #expect(decoded.workers == fold.workers)
        #expect(decoded.metrics == fold.metrics && !decoded.metrics.isEmpty)
        #expect(decoded.learnings == fold.learnings && !decoded.learnings.isEmpty)
        #expect(decoded.reviews == fold.reviews && !decoded.reviews.isEmpty)
        #expect(decoded.retired == fold.retired)
        // What it does not hold reads as unknown: each item's arrival.
        #expect(decoded.workItems.values.allSatisfy { $0.arrival == 0 })
        #expect(fold.workItems.values.allSatisfy { $0.arrival > 0 })

        // Folding on from the snapshot gives the full fold, in every field layout 1 holds.
        let onward = try Replay.fold(log, into: decoded)
        let full = try Replay.fold(log)
        #expect(ProjectionSnapshotCodec.encode(onward, layout: 1) == ProjectionSnapshotCodec.encode(full, layout: 1))
        // The engine does not start from a snapshot that lacks arrivals: it folds the whole log.
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
        let added = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "After the upgrade"))
        await engine.close()

        let log = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        let latest = try #require(try log.latestSnapshot())
        #expect(ProjectionSnapshotCodec.layout(of: latest.bytes) == ProjectionSnapshotCodec.currentLayout)
        #expect(try log.snapshots().map { ProjectionSnapshotCodec.layout(of: $0.bytes) }.contains(1), "the older one is kept")
        let after = try Replay.fold(log)
        #expect(after.workItems[added.id]?.spec == "After the upgrade")
        #expect(after.workItems.count == before.workItems.count + 1)
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 0, "\(output)")
    }
}
