/// How the instances sharing one log choose the one that runs the loop, reconciliation and
/// the container effects. A shared store provides it (``EventStore/leaderElection(instance:)``);
/// a log only one process writes needs none, and that process always leads.
public protocol LeaderElection: Sendable {
    /// This instance's name, as `leaderElected` events record it.
    var instance: String { get }
    /// Suspends until this instance leads, then returns the lease that says when it stops.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    func campaign() async throws -> any LeaderLease
}

/// The leadership this instance holds, until ``lost()`` returns.
public protocol LeaderLease: Sendable {
    /// Returns once the leadership is lost (its connection broke, or the store says another
    /// leads), or the task is cancelled. From then on this instance must not act.
    func lost() async
    /// Gives the leadership up, so that another instance may take it at once.
    func resign()
}
