import Foundation
import Logging
import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// Issue 12's disk-full story: while the store refused writes, the container handler could
/// not record a container start, stopped for good, and the 13 workers spawned after space
/// returned never got a container. Now the outcome is retried with backoff until the store
/// takes it, and the handler carries on.
@Suite struct DiskFullRecoveryTests {
    let fixture = EngineFixture()

    @Test func theContainerHandlerCarriesOnOnceWritesSucceedAgain() async throws {
        defer { fixture.removeFolder() }
        let log = FailingLog(base: try LMDBEventLog(path: fixture.folder))
        let configuration = fixture.configuration()
        let writer = CommandWriter(
            log: log, state: LifecycleState(), lastSnapshot: 0, clock: fixture.clock, ids: fixture.ids,
            configuration: configuration, logger: Logger(label: "test"))
        let runtime = InMemoryContainerRuntime()
        let runner = HandlerRunner(
            handler: ContainerHandler(runtime: runtime, configuration: configuration), log: log, writer: writer, checkpoint: 0,
            policy: configuration.effectRetry, logger: Logger(label: "test"), metrics: NoMetrics())
        let task = Task { await runner.run() }

        for n in 1...14 { _ = try await writer.submit(.addWorkItem(NewWorkItem(repo: "acme/web-\(n)"))) }
        // The disk fills up just as the first container has started: the write of its
        // outcome is refused five times.
        log.failContainerStartRecords(5)
        _ = try await writer.submit(.spawnNext)
        try await settle(runner, log)
        #expect(log.refused == 5)
        #expect(runner.status(head: try log.lastSequence()).consecutiveFailures == 0)

        // Space is back: the workers spawned now get their containers.
        for _ in 1...13 { _ = try await writer.submit(.spawnNext) }
        try await settle(runner, log)
        let status = runner.status(head: try log.lastSequence())
        #expect(status.lag == 0 && status.isRunning && !status.isDegraded)
        #expect(status.lastError?.hasPrefix("outcome not stored: the write was not stored: disk full") == true, "\(status.lastError ?? "")")
        task.cancel()
        await task.value
        await writer.close()

        let workers = writer.current.workers.values
        #expect(workers.count == 14)
        #expect(workers.allSatisfy { $0.containerId != nil })
        #expect(runtime.startCalls == 14)  // the effect ran once; only its record was retried
        #expect(fixture.sleeps.recorded
            == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1_600)])
        #expect(!runner.status(head: try log.lastSequence()).isRunning)
    }

    /// Returns once the runner has applied the whole log, its own outcomes included.
    private func settle(_ runner: HandlerRunner, _ log: any EventLog) async throws {
        while true {
            let head = try log.lastSequence()
            #expect(await runner.waitUntilApplied(head) == .reached)
            if try log.lastSequence() == head { return }
        }
    }
}

/// An LMDB log that refuses, as a full disk would, the next N writes recording a container
/// start (the container handler's outcome), then takes them again.
final class FailingLog: EventLog {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk full (MDB_MAP_FULL)" }
    }

    let base: LMDBEventLog
    private let failures = Mutex((left: 0, refused: 0))

    init(base: LMDBEventLog) { self.base = base }

    var refused: Int { failures.withLock { $0.refused } }

    func failContainerStartRecords(_ count: Int) { failures.withLock { $0.left = count } }

    func append(_ batch: AppendBatch) throws {
        let refuse = failures.withLock { failures -> Bool in
            guard batch.events.contains(where: { $0.type == .containerStarted }), failures.left > 0 else { return false }
            failures.left -= 1
            failures.refused += 1
            return true
        }
        if refuse { throw DiskFull() }
        try base.append(batch)
    }

    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] { try base.read(after: sequence, limit: limit) }
    func lastSequence() throws -> UInt64 { try base.lastSequence() }
    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        await base.waitForEvents(after: sequence, pollInterval: pollInterval)
    }
}
