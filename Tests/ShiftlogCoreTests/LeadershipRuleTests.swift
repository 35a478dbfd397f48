@testable import ShiftlogCore
import Testing

/// Leadership of a shared log: given these events, when `electLeader`, then exactly these
/// events or this refusal.
@Suite struct LeadershipRuleTests {
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    func elect(_ instance: String, on state: LifecycleState) throws(LifecycleError) -> [Event] {
        try decide(
            .electLeader(instance: instance), state: state,
            context: DecisionContext(now: t0, ids: FixedIDs([]), configuration: LifecycleConfiguration())
        ).events
    }

    func applying(_ events: [Event], to state: LifecycleState, at seconds: Int64 = 0) -> LifecycleState {
        var state = state
        for event in events {
            state.apply(RecordedEvent(
                sequence: state.lastSequence + 1, time: t0.adding(seconds: seconds), correlationId: "c", causationId: nil,
                event: event))
        }
        return state
    }

    @Test func theFirstLeaderHasTermOne() throws {
        #expect(try elect("host-a:1", on: LifecycleState()) == [.leaderElected(LeaderElected(instance: "host-a:1", term: 1))])
    }

    @Test func eachElectionIsTheTermAfterTheLastRecorded() throws {
        var state = applying(try elect("host-a:1", on: LifecycleState()), to: LifecycleState())
        state = applying(try elect("host-b:2", on: state), to: state, at: 30)
        #expect(state.leadership == Leadership(instance: "host-b:2", term: 2, since: t0.adding(seconds: 30)))
        // The same instance elected again (after losing its session) still gets a new term.
        #expect(try elect("host-b:2", on: state) == [.leaderElected(LeaderElected(instance: "host-b:2", term: 3))])
    }

    @Test func anInstanceMustBeNamed() {
        #expect(throws: LifecycleError.self) { try elect("  ", on: LifecycleState()) }
    }

    /// The leadership survives a snapshot round trip, and a state without one still encodes
    /// as its JSON did before shared logs existed (no `leadership` key).
    @Test func leadershipIsPartOfTheSnapshot() throws {
        let state = applying(try elect("host-a:1", on: LifecycleState()), to: LifecycleState())
        #expect(try ProjectionSnapshotCodec.decode(ProjectionSnapshotCodec.encode(state)) == state)
        let json = try CanonicalJSON.line(LifecycleState())
        #expect(!json.contains("leadership"))
    }
}
