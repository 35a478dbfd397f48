import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogPostgres
import ShiftlogStore
import Testing

/// Several engines on one PostgreSQL log, as several `shiftlog serve` instances are: the rules
/// that hold within one engine (capacity, file locks) hold across them, because a writer that
/// loses the race for the next sequence folds the winner's events and decides again.
@Suite(.enabled(if: !TestDatabase.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct SharedEngineTests {
    let database: TestDatabase

    init() throws { database = try TestDatabase() }

    func openEngine(maxWorkers: Int = 2) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.lifecycle.maxWorkers = maxWorkers
        configuration.lifecycle.cooldownSeconds = 0
        configuration.reconcileInterval = nil
        return try Engine.open(
            store: PostgresEventLog(url: database.url), runtime: InMemoryContainerRuntime(), configuration: configuration,
            startHandlers: false)
    }

    /// Given two engines on one log, when each adds an item, then the log holds both, in one
    /// gap-free sequence, and each engine's state holds both.
    @Test func aWriterBehindTheLogFoldsItAndWritesAfterIt() async throws {
        defer { Task { await database.drop() } }
        let (a, b) = (try openEngine(), try openEngine())
        let first = try await a.queue.add(NewWorkItem(repo: "acme/web", spec: "one"))
        let second = try await b.queue.add(NewWorkItem(repo: "acme/web", spec: "two"))
        #expect(b.queue.get(first.id) != nil)
        let events = try b.log.read(after: 0, limit: 100)
        #expect(events.map(\.sequence) == Array(1...UInt64(events.count)))
        #expect(events.filter { $0.type == .workItemAdded }.count == 2)
        try await eventually { a.queue.get(second.id) != nil }
        await a.close()
        await b.close()
    }

    /// Given three engines with room for two workers and twenty items, when each asks for ten
    /// spawns at once, then exactly two workers exist: no instance decided on a stale count.
    @Test func capacityHoldsAcrossEngines() async throws {
        defer { Task { await database.drop() } }
        let engines = try (0..<3).map { _ in try openEngine(maxWorkers: 2) }
        for index in 0..<20 { _ = try await engines[index % 3].queue.add(NewWorkItem(repo: "acme/web", spec: "item \(index)")) }
        let spawned = await withTaskGroup(of: Int.self) { group in
            for engine in engines {
                for _ in 0..<10 {
                    group.addTask { (try? await engine.spawnNext()) == nil ? 0 : 1 }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(spawned == 2)
        let folded = try Replay.fold(engines[0].log)
        #expect(folded.activeWorkerCount == 2)
        for engine in engines { await engine.close() }
    }

    /// Given two workers of items on different engines, when both lock one file at once, then
    /// exactly one holds it.
    @Test func aFileIsLockedByOneWorkerAcrossEngines() async throws {
        defer { Task { await database.drop() } }
        let (a, b) = (try openEngine(), try openEngine())
        let one = try await a.queue.add(NewWorkItem(repo: "acme/web", spec: "one"))
        let two = try await b.queue.add(NewWorkItem(repo: "acme/web", spec: "two"))
        let first = try await a.spawn(workItemId: one.id)
        let second = try await b.spawn(workItemId: two.id)
        async let x = a.locks.acquire(workerId: first.id, repo: "acme/web", files: ["src/app.ts"])
        async let y = b.locks.acquire(workerId: second.id, repo: "acme/web", files: ["src/app.ts"])
        let results = try await [x, y]
        #expect(results.filter(\.acquired).count == 1)
        let folded = try Replay.fold(a.log)
        #expect(folded.locks(of: first.id).count + folded.locks(of: second.id).count == 1)
        await a.close()
        await b.close()
    }

    /// Given an engine alone on a shared log, when it writes 50 commands one after another,
    /// then its follower reads the store only for the poll (a wake-up by its own append
    /// reads nothing; it used to read once for about every second append); and it still
    /// folds another engine's events as they are announced.
    @Test func anEngineDoesNotReadBackItsOwnAppends() async throws {
        defer { Task { await database.drop() } }
        let store = CountingStore(try PostgresEventLog(url: database.url))
        var configuration = EngineConfiguration()
        configuration.reconcileInterval = nil
        let a = try Engine.open(store: store, runtime: InMemoryContainerRuntime(), configuration: configuration, startHandlers: false)
        let before = store.readCount
        let started = ContinuousClock.now
        for n in 1...50 { try await a.queue.add(NewWorkItem(repo: "acme/web", spec: "item \(n)")) }
        let took = started.duration(to: .now)
        // At most one poll read a second (rounded up), and one more for a poll under way.
        let polls = Int(took.components.seconds) + 2
        #expect(store.readCount - before <= polls, "\(store.readCount - before) reads for 50 appends in \(took)")

        let b = try openEngine()
        let item = try await b.queue.add(NewWorkItem(repo: "acme/web", spec: "from b"))
        try await eventually { a.queue.get(item.id) != nil }
        await a.close()
        await b.close()
    }

    /// An engine learns of another's events without writing (the notification, or the poll).
    @Test func anEngineFollowsTheOthersWithoutWriting() async throws {
        defer { Task { await database.drop() } }
        let (a, b) = (try openEngine(), try openEngine())
        let item = try await a.queue.add(NewWorkItem(repo: "acme/web", spec: "seen elsewhere"))
        try await eventually { b.queue.get(item.id) != nil }
        #expect(b.state.lastSequence == a.state.lastSequence)
        await a.close()
        await b.close()
    }
}
