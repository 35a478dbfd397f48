import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// Issue 12: the map cannot grow. An engine on a real LMDB file capped at 256 KB
/// (`maximumMapSize`) takes commands until one does not fit: that command fails with a
/// `storage` error naming the folder and the cap, the engine's state stays the one on disk,
/// and, opened again with a larger maximum, the engine takes the same command and carries on.
@Suite struct MapFullEngineTests {
    let fixture = EngineFixture()

    func newItem(_ n: Int) -> NewWorkItem {
        NewWorkItem(repo: "acme/web", spec: "Task \(n): " + String(repeating: "s", count: 1_500))
    }

    @Test func aCommandThatDoesNotFitFailsNamingTheFolderAndTheEngineCarriesOnWithRoom() async throws {
        defer { fixture.removeFolder() }
        var configuration = fixture.configuration()
        configuration.snapshotInterval = 40  // snapshots are written, and must fit too
        func open(maximum: Int) throws -> Engine {
            try Engine.open(
                path: fixture.folder, runtime: InMemoryContainerRuntime(), configuration: configuration,
                clock: fixture.clock, ids: fixture.ids, startHandlers: false,
                storeOptions: .init(initialMapSize: 64 << 10, maximumMapSize: maximum))
        }

        let engine = try open(maximum: 256 << 10)
        var acknowledged: [WorkItemID] = []
        var failure: (any Error)?
        while failure == nil, acknowledged.count < 5_000 {
            do {
                acknowledged.append(try await engine.queue.add(newItem(acknowledged.count)).id)
            } catch {
                failure = error
            }
        }
        let error = try #require(failure as? EngineError, "the map never filled (\(acknowledged.count) items)")
        #expect(error.code == .storage)
        #expect(error.message.contains("\(fixture.folder): the map is full at its maximum size of 256 KB"), "\(error.message)")
        #expect(acknowledged.count > 20)
        // The failed command left no trace in the state; the engine still answers.
        #expect(engine.state.workItems.count == acknowledged.count)
        #expect(engine.queue.list().count == acknowledged.count)
        let head = engine.state.lastSequence
        await engine.close()

        // Nothing acknowledged is lost: the log folds to exactly what the engine held.
        do {
            let log = try LMDBEventLog(path: fixture.folder, options: .init(readOnly: true))
            let folded = try Replay.fold(log)
            #expect(folded.lastSequence == head)
            #expect(Set(folded.workItems.keys) == Set(acknowledged))
        }

        // Room: opened again with a larger maximum, the engine takes the same command and more.
        let reopened = try open(maximum: 4 << 20)
        for n in acknowledged.count..<acknowledged.count + 30 {
            acknowledged.append(try await reopened.queue.add(newItem(n)).id)
        }
        _ = try await reopened.spawnNext()
        #expect(reopened.state.workItems.count == acknowledged.count)
        let state = reopened.state
        await reopened.close()
        let log = try LMDBEventLog(path: fixture.folder, options: .init(readOnly: true))
        #expect(ProjectionSnapshotCodec.encode(try Replay.fold(log)) == ProjectionSnapshotCodec.encode(state))
    }

    /// A snapshot is the largest thing the writer stores, and only an optimisation: one that
    /// does not fit must not sink the commands of its batch, nor every batch after it.
    @Test func aSnapshotThatDoesNotFitDoesNotSinkTheCommands() async throws {
        defer { fixture.removeFolder() }
        var configuration = fixture.configuration()
        configuration.snapshotInterval = 1  // a snapshot of the whole state with every batch
        let engine = try Engine.open(
            path: fixture.folder, runtime: InMemoryContainerRuntime(), configuration: configuration,
            clock: fixture.clock, ids: fixture.ids, startHandlers: false,
            storeOptions: .init(initialMapSize: 64 << 10, maximumMapSize: 256 << 10))
        var acknowledged = 0
        var failure: (any Error)?
        while failure == nil, acknowledged < 20_000 {
            do {
                _ = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Task \(acknowledged)"))
                acknowledged += 1
            } catch {
                failure = error
            }
        }
        let error = try #require(failure as? EngineError, "the map never filled (\(acknowledged) items)")
        #expect(error.message.contains("the map is full"), "\(error.message)")
        let head = engine.state.lastSequence
        await engine.close()

        let log = try LMDBEventLog(path: fixture.folder, options: .init(readOnly: true))
        let snapshot = try #require(try log.latestSnapshot())
        // Snapshots stopped fitting long before the events did; the commands went on.
        #expect(head - snapshot.sequence > 100, "commands after the last snapshot that fitted: \(head - snapshot.sequence)")
        #expect(try log.lastSequence() == head)
        #expect(try Replay.fold(log).workItems.count == acknowledged)
    }
}
