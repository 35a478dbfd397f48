public import ShiftlogCore

/// What the writer answers for one accepted command: the reply, the events it appended and
/// the state as committed with them (after the whole group-commit batch they were written in,
/// so it may include later commands of that batch).
public struct CommandResult: Sendable {
    /// What the command answers (the worker, item or locks it made or touched).
    public var reply: Decision.Reply
    /// The events it appended, with their sequence numbers; empty when it changed nothing.
    public var events: [RecordedEvent]
    /// The projections as committed with them.
    public var state: LifecycleState
}

/// A command as handed to the writer, with its provenance and an optional handler position
/// to store in the same transaction.
struct Submission: Sendable {
    var command: Command?
    var correlationId: String?
    var causationId: String?
    var checkpoint: Checkpoint?
    /// The leader term this submission was made in (effects and reconciliation on a shared
    /// log): refused once a newer term is recorded. `nil`: not fenced.
    var term: UInt64? = nil
    /// Called once, with the answer, after the batch is durable (or has failed).
    var reply: @Sendable (Result<CommandResult, any Error>) -> Void
}

/// An effect handler's position: the last sequence it has applied.
struct Checkpoint: Sendable, Hashable {
    var handler: String
    var sequence: UInt64
}
