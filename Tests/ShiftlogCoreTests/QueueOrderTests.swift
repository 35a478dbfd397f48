import Foundation
@testable import ShiftlogCore
import Testing

/// Items that tie on everything else, created in the same millisecond, go in the order they
/// arrived, whatever their ids (random ids sort at random).
@Suite struct QueueOrderTests {
    /// Three items added in one millisecond, their ids in the reverse of their arrival.
    func sameMillisecond() -> Given {
        var given = Given([])
        for id in ["item-c", "item-b", "item-a"] { given.append(.workItemAdded(.item(id)), at: Given.t0) }
        return given
    }

    @Test func nextHandsOutTheFirstToArrive() {
        #expect(sameMillisecond().when(.assignNext) == .success([.workItemAssigned(.init(workItemId: "item-c"))]))
    }

    @Test func spawnNextSpawnsForTheFirstToArrive() {
        #expect(sameMillisecond().when(.spawnNext) == .success([.spawned("worker-new-1", for: "item-c")]))
    }

    @Test func theQueueAndListingsAreInArrivalOrder() {
        let state = sameMillisecond().state
        #expect(state.queueOrder.map(\.id) == ["item-c", "item-b", "item-a"])
        #expect(state.workItems().map(\.id) == ["item-c", "item-b", "item-a"])
        #expect(ProjectionDocument(state).queue == ["item-c", "item-b", "item-a"])
    }

    @Test func theArrivalOrderSurvivesASnapshot() throws {
        let state = sameMillisecond().state
        let binary = try ProjectionSnapshotCodec.decode(ProjectionSnapshotCodec.encode(state))
        let json = try ProjectionSnapshotCodec.decode(Array(CanonicalJSON.compactEncoder().encode(state)))
        for decoded in [binary, json] {
            #expect(decoded == state)
            #expect(decoded.queueOrder.map(\.id) == ["item-c", "item-b", "item-a"])
        }
    }

    @Test func aSnapshotOfTheFirstLayoutStillDecodes() throws {
        let state = sameMillisecond().state
        let first = ProjectionSnapshotCodec.encode(state, layout: 1)
        #expect(Array(first.prefix(4)) == [0x53, 0x4C, 0x53, 0x01])
        let decoded = try ProjectionSnapshotCodec.decode(first)
        #expect(decoded.workItems.values.allSatisfy { $0.arrival == 0 }, "layout 1 does not hold arrivals")
        #expect(ProjectionSnapshotCodec.encode(decoded, layout: 1) == first)
        #expect(ProjectionSnapshotCodec.layout(of: ProjectionSnapshotCodec.encode(state)) == ProjectionSnapshotCodec.currentLayout)
        // Layout 2 is read too: what it holds (arrivals) comes back, the leadership it lacks is none.
        let second = ProjectionSnapshotCodec.encode(state, layout: 2)
        #expect(try ProjectionSnapshotCodec.decode(second) == state)
    }
}
