import ShiftlogCore
import Testing

struct ProgressSignalTests {
    @Test func aReachedValueAnswersAtOnce() async {
        let signal = ProgressSignal(5)
        #expect(await signal.wait(until: 3) == .reached)
        #expect(await signal.wait(until: 5) == .reached)
        signal.finish()
        #expect(await signal.wait(until: 5) == .reached)  // finished, but already there
        #expect(await signal.wait(until: 6) == .finished)
    }

    @Test func advanceWakesOnlyTheWaitersItReaches() async {
        let signal = ProgressSignal()
        async let two = signal.wait(until: 2)
        async let four = signal.wait(until: 4)
        signal.advance(to: 2)
        #expect(await two == .reached)
        signal.advance(to: 1)  // lower: ignored
        #expect(signal.value == 2)
        signal.advance(to: 4)
        #expect(await four == .reached)
    }

    @Test func finishEndsEveryPendingWait() async {
        let signal = ProgressSignal()
        let waiters = (1...8).map { target in Task { await signal.wait(until: UInt64(target)) } }
        signal.advance(to: 3)
        signal.finish()
        var outcomes: [ProgressSignal.Outcome] = []
        for waiter in waiters { outcomes.append(await waiter.value) }
        #expect(outcomes == Array(repeating: .reached, count: 3) + Array(repeating: .finished, count: 5))
    }

    /// The race the hand-written registries had: the value advances between a waiter's check
    /// and its registration. Run many times with the two on different threads; every waiter
    /// must come back `.reached` (a lost wake-up would hang the test).
    @Test func noWakeUpIsLostWhenAdvanceRacesTheWait() async {
        for round in 0..<2_000 {
            let signal = ProgressSignal()
            let target = UInt64(round % 3 + 1)
            async let waited = signal.wait(until: target)
            let advancer = Task.detached { signal.advance(to: target) }
            await advancer.value
            #expect(await waited == .reached)
        }
    }

    @Test func cancellingAWaiterEndsItsWaitAndOnlyIts() async {
        let signal = ProgressSignal()
        let cancelled = Task { await signal.wait(until: 10) }
        let kept = Task { await signal.wait(until: 10) }
        cancelled.cancel()
        #expect(await cancelled.value == .cancelled)
        signal.advance(to: 10)
        #expect(await kept.value == .reached)
    }

    /// Cancellation racing the registration: whichever comes first, the wait ends.
    @Test func aWaitCancelledAsItBeginsStillEnds() async {
        for _ in 0..<2_000 {
            let signal = ProgressSignal()
            let waiter = Task { await signal.wait(until: 1) }
            waiter.cancel()
            #expect(await waiter.value == .cancelled)
        }
    }

    @Test func aTimeoutEndsTheWait() async {
        let signal = ProgressSignal()
        #expect(await signal.wait(until: 1, timeout: .milliseconds(1)) == .cancelled)
        signal.advance(to: 1)
        #expect(await signal.wait(until: 1, timeout: .seconds(60)) == .reached)
    }
}
