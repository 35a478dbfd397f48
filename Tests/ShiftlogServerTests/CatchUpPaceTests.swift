import Testing

@testable import ShiftlogServer

/// The pace the event streams' batches share (`CatchUpPace`): a virtual clock, so each case
/// gives the instants itself.
@Suite struct CatchUpPaceTests {
    let start = ContinuousClock.now

    /// Given 1,000 bytes a second and no burst, when two batches of 500 bytes come at once,
    /// then the first waits half a second and the second a whole one.
    @Test func batchesWaitTheirBytesShareOfASecond() {
        let pace = CatchUpPace(bytesPerSecond: 1_000, burst: 0, origin: start)
        #expect(pace.reserve(500, now: start) == .milliseconds(500))
        #expect(pace.reserve(500, now: start) == .seconds(1))
    }

    /// Given a burst of 1,000 bytes, when 1,000 bytes come at once, then they wait for nothing;
    /// the next 500 wait their half second.
    @Test func theBurstPassesAtOnce() {
        let pace = CatchUpPace(bytesPerSecond: 1_000, burst: 1_000, origin: start)
        #expect(pace.reserve(1_000, now: start) == .zero)
        #expect(pace.reserve(500, now: start) == .milliseconds(500))
    }

    /// Given a pace that was idle for ten seconds, when a batch comes, then it waits for
    /// nothing, and the idle time is not saved up past the burst: a second batch right after
    /// waits again.
    @Test func idleTimeIsNotSavedUpPastTheBurst() {
        let pace = CatchUpPace(bytesPerSecond: 1_000, burst: 500, origin: start)
        _ = pace.reserve(1_000, now: start)
        let later = start + .seconds(10)
        #expect(pace.reserve(500, now: later) == .zero)
        #expect(pace.reserve(500, now: later) == .milliseconds(500))
    }
}
