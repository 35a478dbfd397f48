public import ShiftlogCore

/// Performs the side effects of committed events, and reports their outcomes as commands.
///
/// Handlers see every event after their checkpoint, in order, at least once: after a
/// restart, the events since the last stored checkpoint are delivered again, so an effect
/// must be idempotent (a container is named after its worker; a repeated start adopts it).
/// Replaying a log never calls a handler.
public protocol EffectHandler: Sendable {
    /// The handler's checkpoint key; never rename a deployed handler.
    var name: String { get }
    /// Performs the effect of `event`. `state` is the engine's latest state, which may be
    /// ahead of the event when catching up. Returns the outcomes to record.
    func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command]
}
