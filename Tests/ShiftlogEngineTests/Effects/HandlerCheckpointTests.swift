import Foundation
import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// Where a handler's position is stored: with its outcomes always; after events that call for
/// nothing, on its own at most every `handlerCheckpointInterval`, and when the engine closes.
@Suite struct HandlerCheckpointTests {
    let fixture = EngineFixture()

    /// Counts the events it is given; never has an outcome.
    final class CountingHandler: EffectHandler {
        let name = "counting"
        private let seen = Mutex<[UInt64]>([])

        var sequences: [UInt64] { seen.withLock { $0 } }

        func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
            seen.withLock { $0.append(event.sequence) }
            return []
        }
    }

    private func open(_ handler: CountingHandler, interval: Duration) throws -> Engine {
        var configuration = fixture.configuration()
        configuration.handlerCheckpointInterval = interval
        return try Engine.open(
            path: fixture.folder, runtime: InMemoryContainerRuntime(), configuration: configuration, clock: fixture.clock,
            ids: fixture.ids, handlers: [handler])
    }

    /// Given an interval longer than the test, when events that call for nothing are handled,
    /// then no write stores the position meanwhile; when the engine closes, then it is stored,
    /// and the next open does not deliver those events again.
    @Test func positionsWithoutOutcomesWaitForTheIntervalOrTheClose() async throws {
        defer { fixture.removeFolder() }
        let handler = CountingHandler()
        let engine = try open(handler, interval: .seconds(3_600))
        for n in 1...5 { try await engine.queue.add(NewWorkItem(repo: "acme/web-\(n)")) }
        try await engine.settle()
        let head = try engine.log.lastSequence()
        #expect(handler.sequences == Array(1...head))
        #expect(try engine.log.checkpoint(for: "counting") == nil, "stored before the interval was up")
        await engine.close()
        let closed = try LMDBEventLog(path: fixture.folder, options: .init(readOnly: true))
        #expect(try closed.checkpoint(for: "counting") == head)
        closed.close()

        let again = CountingHandler()
        let reopened = try open(again, interval: .seconds(3_600))
        try await reopened.queue.add(NewWorkItem(repo: "acme/api"))
        try await reopened.settle()
        let newHead = try reopened.log.lastSequence()
        #expect(again.sequences == Array((head + 1)...newHead))
        await reopened.close()
    }

    /// Given an interval of 0, when an event calls for nothing, then the position is stored
    /// on its own as soon as the handler has caught up (the behaviour before the interval).
    @Test func anIntervalOfZeroStoresThePositionOnceCaughtUp() async throws {
        defer { fixture.removeFolder() }
        let handler = CountingHandler()
        let engine = try open(handler, interval: .zero)
        try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        try await engine.settle()
        let head = try engine.log.lastSequence()
        // The position is stored right after the handler reports it applied: poll for it.
        let deadline = ContinuousClock.now + .seconds(30)
        while try engine.log.checkpoint(for: "counting") != head, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try engine.log.checkpoint(for: "counting") == head)
        await engine.close()
    }

    /// Holds at one event until released; never has an outcome.
    final class HoldingHandler: EffectHandler {
        let name = "holding"
        let holdAt: UInt64
        let reached = ProgressSignal()
        let released = ProgressSignal()

        init(holdAt: UInt64) { self.holdAt = holdAt }

        func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
            if event.sequence == holdAt {
                reached.advance(to: 1)
                await released.wait(until: 1)
            }
            return []
        }
    }

    /// Given a handler far behind (600 events that call for nothing, read 256 at a time) and
    /// an interval of 0, when it is still working through them, then its position is already
    /// stored: a crash now would not send it back to the start.
    @Test func aHandlerFarBehindStoresItsPositionBeforeItCatchesUp() async throws {
        defer { fixture.removeFolder() }
        let writing = try Engine.open(
            path: fixture.folder, runtime: InMemoryContainerRuntime(), configuration: fixture.configuration(), clock: fixture.clock,
            ids: fixture.ids, startHandlers: false)
        for n in 1...600 { try await writing.queue.add(NewWorkItem(repo: "acme/web-\(n)")) }
        await writing.close()

        let handler = HoldingHandler(holdAt: 550)
        var configuration = fixture.configuration()
        configuration.handlerCheckpointInterval = .zero
        let engine = try Engine.open(
            path: fixture.folder, runtime: InMemoryContainerRuntime(), configuration: configuration, clock: fixture.clock,
            ids: fixture.ids, handlers: [handler])
        await handler.reached.wait(until: 1)
        let stored = try #require(try engine.log.checkpoint(for: "holding"))
        #expect(stored >= 512, "stored at \(stored) while handling event 550")
        handler.released.advance(to: 1)
        await engine.close()
    }

    @Test func aNegativeIntervalIsRefused() {
        var configuration = EngineConfiguration()
        configuration.handlerCheckpointInterval = .seconds(-1)
        #expect(throws: EngineError(
            .invalidConfiguration, "EngineConfiguration.handlerCheckpointInterval must be 0 or more (it is -1.0 seconds)")) {
            try configuration.validate()
        }
    }
}
