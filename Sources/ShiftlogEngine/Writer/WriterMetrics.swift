import Metrics

/// What the writer reports through swift-metrics after each committed transaction: commands
/// and events appended, the group-commit batch size, and how long the commit (with its sync)
/// took. Exported by `shiftlog serve` at `/metrics`.
enum WriterMetrics {
    static let commands = Counter(label: "shiftlog_commands_total")
    static let events = Counter(label: "shiftlog_events_appended_total")
    static let batchSize = Recorder(label: "shiftlog_batch_commands", aggregate: true)
    static let commitLatency = Timer(label: "shiftlog_commit_seconds")

    static func committed(commands: Int, events: Int, took: Duration) {
        Self.commands.increment(by: commands)
        Self.events.increment(by: events)
        batchSize.record(commands)
        commitLatency.recordNanoseconds(took.components.seconds * 1_000_000_000 + took.components.attoseconds / 1_000_000_000)
    }
}
