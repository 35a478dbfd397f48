import Foundation
import CoreMetrics
import MetricsTestKit
import ShiftlogCore
@testable import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// An effect that throws is retried with backoff, then given up as `effectAbandoned`; every
/// failure shows in the handler's status and in metrics; a handler that stops is never silent.
@Suite struct EffectRetryTests {
    let fixture = EngineFixture()

    /// Throws on `workItemAdded` events until it has failed `failures` times for that event
    /// (`.max`: always); counts every call.
    final class FlakyHandler: EffectHandler {
        let name = "flaky"
        let failures: Int
        private let calls = Mutex<[UInt64: Int]>([:])

        init(failures: Int) { self.failures = failures }

        func calls(for sequence: UInt64) -> Int { calls.withLock { $0[sequence] ?? 0 } }

        func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
            guard case .workItemAdded = event.event else { return [] }
            let call = calls.withLock { calls in
                calls[event.sequence, default: 0] += 1
                return calls[event.sequence]!
            }
            if call <= failures { throw ContainerRuntimeError("webhook down (call \(call))") }
            return []
        }
    }

    private func open(_ handler: any EffectHandler, maxAttempts: Int = 8, metrics: any MetricsFactory = NoMetrics()) throws
        -> Engine
    {
        try Engine.open(
            path: fixture.folder, runtime: InMemoryContainerRuntime(), configuration: fixture.configuration(maxAttempts: maxAttempts),
            clock: fixture.clock, ids: fixture.ids, metrics: MetricsHandler(factory: metrics), handlers: [handler])
    }

    @Test func theBackoffGrowsExponentiallyUpToItsCap() {
        var policy = EffectRetryPolicy()
        policy.initialBackoff = .milliseconds(100)
        policy.maxBackoff = .seconds(1)
        policy.multiplier = 2
        #expect((1...7).map(policy.backoff(afterFailure:))
            == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1), .seconds(1)])
        #expect(policy.backoff(afterFailure: 10_000) == .seconds(1))
    }

    @Test func aFailingEffectIsRetriedWithBackoffUntilItSucceeds() async throws {
        defer { fixture.removeFolder() }
        let handler = FlakyHandler(failures: 3)
        let metrics = TestMetrics()
        let engine = try open(handler, metrics: metrics)
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        try await engine.settle()
        let added = try #require(engine.log.read(after: 0, limit: 100).first { $0.type == .workItemAdded }).sequence
        #expect(engine.state.workItems[item.id] != nil)
        await engine.close()

        #expect(handler.calls(for: added) == 4)
        #expect(fixture.sleeps.recorded == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
        let status = try #require(engine.handlerStatuses.first { $0.name == "flaky" })
        #expect(status.consecutiveFailures == 0)
        #expect(!status.isDegraded)
        #expect(status.abandonedEffects == 0)
        #expect(status.lastError == "effect of event \(added) failed (attempt 3): webhook down (call 3)")
        #expect(try metrics.expectCounter("shiftlog_effect_failures_total", [("handler", "flaky")]).totalValue == 3)
        #expect(try metrics.expectGauge("shiftlog_handler_degraded", [("handler", "flaky")]).lastValue == 0)
        #expect(try engine.log.read(after: 0, limit: 100).allSatisfy { $0.type != .effectAbandoned })
    }

    @Test func anEffectThatKeepsFailingIsAbandonedRecordedAndPassed() async throws {
        defer { fixture.removeFolder() }
        let handler = FlakyHandler(failures: .max)
        let metrics = TestMetrics()
        let engine = try open(handler, maxAttempts: 3, metrics: metrics)
        let first = try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        let second = try await engine.queue.add(NewWorkItem(repo: "acme/api"))
        try await engine.settle()
        await engine.close()

        let events = try engine.log.read(after: 0, limit: 100)
        let added = events.filter { $0.type == .workItemAdded }.map(\.sequence)
        #expect(added.count == 2 && [first.id, second.id].count == 2)
        let abandoned = events.compactMap { event -> (EffectAbandoned, String?)? in
            if case .effectAbandoned(let e) = event.event { (e, event.causationId) } else { nil }
        }
        #expect(abandoned.map(\.0) == added.map { sequence in
            EffectAbandoned(handler: "flaky", sequence: sequence, attempts: 3, error: "webhook down (call 3)")
        })
        #expect(abandoned.map(\.1) == added.map { "seq:\($0)" })
        #expect(added.map(handler.calls(for:)) == [3, 3])
        #expect(fixture.sleeps.recorded == [.milliseconds(100), .milliseconds(200)] + [.milliseconds(100), .milliseconds(200)])
        let status = try #require(engine.handlerStatuses.first { $0.name == "flaky" })
        #expect(status.abandonedEffects == 2)
        #expect(status.lag == 0)
        #expect(!status.isDegraded)  // the abandon records themselves were handled fine
        #expect(try metrics.expectCounter("shiftlog_effects_abandoned_total", [("handler", "flaky")]).totalValue == 2)
        #expect(try metrics.expectCounter("shiftlog_effect_failures_total", [("handler", "flaky")]).totalValue == 6)
    }

    /// A runtime that cannot be reached, as the Docker runtime reports a daemon that is down.
    struct Unreachable: RuntimeUnavailability, CustomStringConvertible {
        var runtimeIsUnavailable: Bool { true }
        var description: String { "daemon unreachable" }
    }

    /// Throws ``Unreachable`` on `workItemAdded` events for the first `outage` calls, then
    /// succeeds.
    final class OutageHandler: EffectHandler {
        let name = "outage"
        let outage: Int
        private let calls = Mutex(0)

        init(outage: Int) { self.outage = outage }

        var callCount: Int { calls.withLock { $0 } }

        func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
            guard case .workItemAdded = event.event else { return [] }
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            if call <= outage { throw Unreachable() }
            return []
        }
    }

    /// Given a policy that abandons an effect after 3 failures, when the runtime is unreachable
    /// for 12 tries in a row, then the effect is not abandoned: it is retried with backoff
    /// (the handler degraded meanwhile) until the runtime answers, and then it happens.
    @Test func anUnreachableRuntimeIsWaitedForNotCountedTowardAbandoning() async throws {
        defer { fixture.removeFolder() }
        let handler = OutageHandler(outage: 12)
        let metrics = TestMetrics()
        let engine = try open(handler, maxAttempts: 3, metrics: metrics)
        try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        try await engine.settle()
        await engine.close()

        #expect(handler.callCount == 13)
        #expect(fixture.sleeps.recorded.count == 12)
        #expect(fixture.sleeps.recorded.prefix(3) == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
        #expect(try engine.log.read(after: 0, limit: 100).allSatisfy { $0.type != .effectAbandoned })
        let status = try #require(engine.handlerStatuses.first { $0.name == "outage" })
        #expect(status.abandonedEffects == 0)
        #expect(!status.isDegraded)
        #expect(status.lastError?.hasSuffix("waits for the runtime (try 12): daemon unreachable") == true, "\(status.lastError ?? "")")
        #expect(try metrics.expectCounter("shiftlog_effect_failures_total", [("handler", "outage")]).totalValue == 12)
        #expect(try metrics.expectGauge("shiftlog_handler_degraded", [("handler", "outage")]).values.contains(1))
    }

    /// Waits at `workItemAdded` until released, then returns an outcome.
    final class GatedHandler: EffectHandler {
        let name = "gated"
        let entered = ProgressSignal()
        let released = ProgressSignal()

        func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
            guard case .workItemAdded(let added) = event.event else { return [] }
            entered.advance(to: 1)
            await released.wait(until: 1)
            return [.cancelWorkItem(added.workItemId)]
        }
    }

    @Test func aHandlerThatStopsMakesSettleThrowAndShowsInItsStatus() async throws {
        defer { fixture.removeFolder() }
        let handler = GatedHandler()
        let engine = try open(handler)
        try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        await handler.entered.wait(until: 1)
        await engine.writer.close()  // the writer goes away under the running handler
        handler.released.advance(to: 1)

        let error = await #expect(throws: EngineError.self) { try await engine.settle() }
        #expect(error?.code == .handlerStopped)
        #expect(error?.message.hasPrefix("effect handler '") == true, "\(error?.message ?? "")")
        let status = try #require(engine.handlerStatuses.first { $0.name == "gated" })
        #expect(!status.isRunning)
        #expect(status.isDegraded)
        #expect(status.stopReason == "the engine's writer is closed")
        await engine.close()
    }
}
