import ArgumentParser

/// The `shiftlog` command.
@main
struct Shiftlog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shiftlog",
        abstract: "Run and inspect Shiftlog's event-sourced worker lifecycle.",
        discussion: """
            Shiftlog records every lifecycle call of AI-coding workers (spawn, heartbeat, \
            complete, fail, stuck, kill, locks) as events in an LMDB log and folds them into \
            projections. Start with `shiftlog demo`.
            """,
        subcommands: [Demo.self]
    )
}
