import Foundation
import Logging
import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// `close()` answers every command submitted before it returns; a configuration the engine
/// cannot run with is refused at open, by field.
@Suite struct EngineCloseTests {
    /// A log in memory: appends are counted, nothing is read back.
    final class MemoryLog: EventLog {
        private let last = Mutex<UInt64>(0)
        func append(_ batch: AppendBatch) throws {
            if let sequence = batch.events.last?.sequence { last.withLock { $0 = sequence } }
        }
        func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] { [] }
        func lastSequence() throws -> UInt64 { last.withLock { $0 } }
        func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {}
    }

    /// Submissions racing `close()`: a command the writer accepted must be committed and
    /// answered before `close()` returns, so nothing reaches the log after it. Without the
    /// count of answers, `close()` only waited for the work already queued on the writer's
    /// thread, and a command accepted just before it could be committed after it had returned.
    @Test func closeReturnsOnlyOnceEveryAcceptedCommandIsAnswered() async throws {
        for round in 0..<300 {
            let log = MemoryLog()
            let writer = CommandWriter(
                log: log, state: LifecycleState(), lastSnapshot: 0,
                clock: ManualTimeSource(Timestamp(iso8601: "2026-03-01T09:00:00Z")!), ids: SequentialIDs(),
                configuration: EngineConfiguration(), logger: Logger(label: "test"))
            let submitters = (0..<8).map { n in
                Task.detached { _ = try? await writer.submit(.addWorkItem(NewWorkItem(repo: "r\(n)"))) }
            }
            await writer.close()
            let committedAtClose = try log.lastSequence()
            for submitter in submitters { await submitter.value }
            #expect(try log.lastSequence() == committedAtClose, "round \(round): a command was committed after close returned")
        }
    }

    @Test func closeAnswersQueuedCommandsAndRefusesLaterOnes() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-close-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = try Engine.open(path: folder, runtime: InMemoryContainerRuntime(), metrics: MetricsHandler(factory: NoMetrics()))
        let results = await engine.writer.submitAll((1...50).map { .addWorkItem(NewWorkItem(repo: "r\($0)")) })
        async let closing: Void = engine.close()
        await closing
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        let error = await #expect(throws: EngineError.self) { try await engine.queue.add(NewWorkItem(repo: "late")) }
        #expect(error?.code == .closed)
        // The folder is free for the next engine.
        let next = try Engine.open(path: folder, runtime: InMemoryContainerRuntime(), metrics: MetricsHandler(factory: NoMetrics()))
        #expect(next.state.workItems.count == 50)
        await next.close()
    }

    @Test(arguments: [0, -1])
    func openRefusesABatchSizeBelowOneNamingTheField(_ size: Int) throws {
        let folder = NSTemporaryDirectory() + "shiftlog-config-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = EngineConfiguration()
        configuration.maxBatchSize = size
        let error = #expect(throws: EngineError.self) {
            try Engine.open(path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message == "EngineConfiguration.maxBatchSize must be at least 1 (it is \(size))")
        #expect(!FileManager.default.fileExists(atPath: folder))  // refused before anything was opened
    }

    @Test func openRefusesARetryPolicyWithoutAttempts() throws {
        var configuration = EngineConfiguration()
        configuration.effectRetry.maxAttempts = 0
        #expect(throws: EngineError(.invalidConfiguration, "EngineConfiguration.effectRetry.maxAttempts must be at least 1 (it is 0)")) {
            try configuration.validate()
        }
    }
}
