import Foundation
import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogPostgres
import ShiftlogStore
import Testing

/// One leader among the engines sharing a PostgreSQL log: only it runs the effects; when it
/// goes (closes, or its session is cut), another takes over within the bound, resumes the
/// handlers from their checkpoints and adopts the containers; a deposed leader's outcomes are
/// refused. The engines share one in-memory runtime, as instances share one Docker daemon.
///
/// They run beside the whole suite. (Once they could not: tests that waited for a child
/// process blocked threads of Swift's task pool, which is as wide as the machine has cores,
/// and beside them no engine was elected within 30 s. Every child is now awaited.)
@Suite(.enabled(if: !TestDatabase.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct LeadershipTests {
    let database: TestDatabase
    let runtime = InMemoryContainerRuntime()

    init() throws { database = try TestDatabase() }

    func openEngine(_ name: String) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.lifecycle.cooldownSeconds = 0
        configuration.reconcileInterval = nil
        return try Engine.open(
            store: PostgresEventLog(url: database.url), runtime: runtime, configuration: configuration, instance: name)
    }

    func leaders(_ engines: [Engine]) -> [Engine] { engines.filter(\.isLeading) }

    func elections(in engine: Engine) throws -> [LeaderElected] {
        try engine.log.read(after: 0, limit: 10_000).compactMap {
            if case .leaderElected(let elected) = $0.event { elected } else { nil }
        }
    }

    /// Given two engines on one log, then exactly one leads, in term 1, and only its effects
    /// run: a spawn gets one container.
    @Test func exactlyOneEngineLeads() async throws {
        defer { Task { await database.drop() } }
        let (a, b) = (try openEngine("a"), try openEngine("b"))
        try await eventually { leaders([a, b]).count == 1 }
        #expect(leaders([a, b]).count == 1)
        #expect(try elections(in: a).map(\.term) == [1])
        let item = try await b.queue.add(NewWorkItem(repo: "acme/web", spec: "x"))
        let worker = try await a.spawn(workItemId: item.id)
        try await eventually { a.state.workers[worker.id]?.containerId != nil && b.state.workers[worker.id]?.containerId != nil }
        #expect(runtime.startCalls == 1)
        await a.close()
        await b.close()
    }

    /// Given a leader with a running worker, when it closes, then the other engine leads in
    /// term 2 within the bound, and its handlers resume from the checkpoint: the worker's
    /// container is not started again, and a new spawn gets its container from the new leader.
    @Test func anotherEngineTakesOverAndResumes() async throws {
        defer { Task { await database.drop() } }
        let engines = [try openEngine("a"), try openEngine("b")]
        // The leader is taken from the very check that found one: under load a leader whose
        // session check times out steps down, so asking again could find none (it did).
        var leader: Engine?
        try await eventually {
            leader = leaders(engines).first
            return leader != nil
        }
        let old = try #require(leader)
        let next = engines.first { $0 !== old }!
        let first = try await old.queue.add(NewWorkItem(repo: "acme/web", spec: "one"))
        let worker = try await old.spawn(workItemId: first.id)
        try await old.settle()
        #expect(runtime.startCalls == 1)
        let closed = ContinuousClock.now
        await old.close()
        try await eventually { next.isLeading }
        let takeover = closed.duration(to: .now)
        #expect(takeover < .seconds(10), "takeover took \(takeover)")
        // Each election is the next term; the new leader holds the last. (Under load the first
        // leader may step down and be elected again before it closes: more than two terms.)
        let terms = try elections(in: next).map(\.term)
        #expect(terms == Array(1...UInt64(max(terms.count, 2))), "\(terms)")
        #expect(next.leaderTerm == terms.last)
        let second = try await next.queue.add(NewWorkItem(repo: "acme/web", spec: "two"))
        let another = try await next.spawn(workItemId: second.id)
        try await next.settle()
        #expect(runtime.startCalls == 2)
        #expect(next.state.workers[worker.id]?.containerId != nil)
        #expect(next.state.workers[another.id]?.containerId != nil)
        await next.close()
    }

    /// Given a leader whose database session is cut, then it stops leading, an engine leads in
    /// the next term (the other, or the same one after it campaigned again), and an outcome
    /// submitted in the old term is refused (fencing).
    @Test func aLeaderCutOffIsDeposedAndFenced() async throws {
        defer { Task { await database.drop() } }
        let engines = [try openEngine("a"), try openEngine("b")]
        // Leader and term from the same check (see anotherEngineTakesOverAndResumes).
        var found: (engine: Engine, term: UInt64)?
        try await eventually {
            found = engines.lazy.compactMap { engine in engine.leaderTerm.map { (engine, $0) } }.first
            return found != nil
        }
        let (old, oldTerm) = try #require(found)
        // The leader's session is named for the log's schema.
        try await database.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'shiftlog leader \(database.schema)'")
        try await eventually { engines.contains { ($0.leaderTerm ?? 0) > oldTerm } }
        try await eventually { leaders(engines).count == 1 }
        try await old.catchUp()
        let item = try await engines[1].queue.add(NewWorkItem(repo: "acme/web", spec: "x"))
        try await old.catchUp()
        do {
            _ = try await old.writer.submit(.cancelWorkItem(item.id), term: oldTerm)
            Issue.record("an outcome of an ended term was stored")
        } catch let error as EngineError {
            #expect(error.code == .deposed)
        }
        // The log itself (not an engine's view, which may not have folded it yet): still queued.
        #expect(try Replay.fold(old.log).workItems[item.id]?.status == .queued)
        for engine in engines { await engine.close() }
    }
}
