import Dispatch
import Foundation
import Logging
import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// The writer's group commit, observed through a real LMDB log wrapped so that the test can
/// hold the first transaction open (everything submitted meanwhile must share the next one)
/// and make the store refuse chosen writes.
@Suite struct GroupCommitTests {
    @Test func refusedCommandsInABatchLeaveTheirNeighboursCommitted() async throws {
        try await withWriter { writer, log in
            let first = Task { try await writer.submit(.addWorkItem(NewWorkItem(repo: "acme/first"))) }
            await log.waitUntilHeld()

            // 30 valid adds and 10 refused commands arrive while the first write is held.
            let results = await withTaskGroup(of: (Int, Result<CommandResult, any Error>).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let command: Command =
                            index.isMultiple(of: 4)
                            ? .heartbeat(workerId: "worker-\(index)", Heartbeat(iteration: 1))
                            : .addWorkItem(NewWorkItem(repo: "acme/repo-\(index)"))
                        do { return (index, .success(try await writer.submit(command))) } catch { return (index, .failure(error)) }
                    }
                }
                while writer.waitingCount < 40 { await Task.yield() }
                log.release()
                var results: [Int: Result<CommandResult, any Error>] = [:]
                for await (index, result) in group { results[index] = result }
                return results
            }
            _ = try await first.value

            for (index, result) in results {
                switch (index.isMultiple(of: 4), result) {
                case (true, .failure(let error as LifecycleError)): #expect(error.code == .workerNotFound)
                case (false, .success(let answer)): #expect(answer.events.count == 1)
                default: Issue.record("command \(index): unexpected \(result)")
                }
            }
            // Two transactions: the held one, then everything that queued behind it.
            #expect(log.appendSizes == [1, 30])
            #expect(try log.base.lastSequence() == 31)
            #expect(try Replay.fold(log.base) == writer.current)
        }
    }

    @Test func aWriteTheStoreRefusesFailsOnlyItsOwnCommand() async throws {
        try await withWriter { writer, log in
            log.refuse { batch in batch.events.contains { "\($0.event)".contains("acme/poison") } }
            let first = Task { try await writer.submit(.addWorkItem(NewWorkItem(repo: "acme/first"))) }
            await log.waitUntilHeld()

            let repos = (0..<12).map { $0 == 5 ? "acme/poison" : "acme/repo-\($0)" }
            let results = await withTaskGroup(of: (String, Result<CommandResult, any Error>).self) { group in
                for repo in repos {
                    group.addTask {
                        do { return (repo, .success(try await writer.submit(.addWorkItem(NewWorkItem(repo: repo)))))
                        } catch { return (repo, .failure(error)) }
                    }
                }
                while writer.waitingCount < repos.count { await Task.yield() }
                log.release()
                var results: [String: Result<CommandResult, any Error>] = [:]
                for await (repo, result) in group { results[repo] = result }
                return results
            }
            _ = try await first.value

            for (repo, result) in results {
                switch (repo, result) {
                case ("acme/poison", .failure(let error as EngineError)): #expect(error.code == .storage)
                case (_, .success(let answer)) where repo != "acme/poison": #expect(answer.events.count == 1)
                default: Issue.record("\(repo): unexpected \(result)")
                }
            }
            // The held write, the refused batch of 12, then each of the 12 on its own.
            #expect(log.appendSizes == [1] + Array(repeating: 1, count: 11))
            #expect(log.refusedCount == 2)
            let stored = try Replay.fold(log.base)
            #expect(stored == writer.current)
            #expect(stored.workItems.count == 12)
            #expect(!stored.workItems.values.contains { $0.repo == "acme/poison" })
        }
    }

    private func withWriter(_ body: (CommandWriter, ControlledLog) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-group-commit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = ControlledLog(base: try LMDBEventLog(path: folder))
        let writer = CommandWriter(
            log: log, state: LifecycleState(), lastSnapshot: 0,
            clock: ManualTimeSource(Timestamp(iso8601: "2026-03-01T09:00:00Z")!), ids: SequentialIDs(),
            configuration: EngineConfiguration(), logger: Logger(label: "test"))
        try await body(writer, log)
        await writer.close()
    }
}

/// An LMDB log whose first append waits for ``release()``, and which refuses chosen batches.
private final class ControlledLog: EventLog {
    struct Refused: Error {}
    private struct Control {
        var held = false
        var appendSizes: [Int] = []
        var refusedCount = 0
        var refuse: @Sendable (AppendBatch) -> Bool = { _ in false }
    }

    let base: LMDBEventLog
    private let control = Mutex(Control())
    /// 1 once the first append waits at the gate.
    private let holding = ProgressSignal()
    private let gate = DispatchSemaphore(value: 0)

    init(base: LMDBEventLog) { self.base = base }

    var appendSizes: [Int] { control.withLock { $0.appendSizes } }
    var refusedCount: Int { control.withLock { $0.refusedCount } }

    func refuse(when predicate: @escaping @Sendable (AppendBatch) -> Bool) {
        control.withLock { $0.refuse = predicate }
    }

    /// Returns once the first append is waiting at the gate.
    func waitUntilHeld() async {
        await holding.wait(until: 1)
    }

    func release() { gate.signal() }

    func append(_ batch: AppendBatch) throws {
        let first = control.withLock { control in
            defer { control.held = true }
            return !control.held
        }
        if first {
            holding.advance(to: 1)
            gate.wait()
        }
        let refused = control.withLock { control -> Bool in
            guard control.refuse(batch) else { return false }
            control.refusedCount += 1
            return true
        }
        if refused { throw Refused() }
        try base.append(batch)
        control.withLock { $0.appendSizes.append(batch.events.count) }
    }

    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] { try base.read(after: sequence, limit: limit) }
    func lastSequence() throws -> UInt64 { try base.lastSequence() }
    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        await base.waitForEvents(after: sequence, pollInterval: pollInterval)
    }
}
