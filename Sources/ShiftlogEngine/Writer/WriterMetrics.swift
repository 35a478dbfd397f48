import Metrics

/// What the writer reports through swift-metrics after each committed transaction: commands
/// and events appended, the group-commit batch size, and how long the commit (with its sync)
/// took. Exported by `shiftlog serve` at `/metrics`.
enum WriterMetrics {
    static let commands = Counter(label: "shiftlog_commands_total")
    static let events = Counter(label: "shiftlog_events_appended_total")
    static let batchSize = Recorder(label: "shiftlog_batch_commands", aggregate: true)
    static let commitLatency = Timer(label: "shiftlog_commit_seconds")
    /// Appends to a shared log that another instance's append beat to the sequence.
    static let lostRaces = Counter(label: "shiftlog_writer_lost_races_total")
    /// Turns taken after repeated lost races (`CommandWriter.racesBeforeTakingTurn`).
    static let turns = Counter(label: "shiftlog_writer_turns_total")

    static func lostRace() { lostRaces.increment() }
    static func turnTaken() { turns.increment() }

    static func committed(commands: Int, events: Int, took: Duration) {
        Self.commands.increment(by: commands)
        Self.events.increment(by: events)
        batchSize.record(commands)
        commitLatency.recordNanoseconds(took.components.seconds * 1_000_000_000 + took.components.attoseconds / 1_000_000_000)
    }
}
