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
            projections. `shiftlog serve` is the orchestrator service workers talk to; start \
            with `shiftlog serve --demo`.

            To investigate an incident from a copy of a production log (opened read-only; the \
            file is never changed): `verify` it, list `events`, read the `timeline` of the \
            worker or item in question, look at the `state` or `diff` at the moment it \
            happened, `replay` to check it, and ask `what-if` the rules had been different. \
            `export`/`import` move logs and slices as JSON lines; `generate` writes a large log \
            to try all this on. Every one of them reads an LMDB folder (--path FOLDER) or a \
            PostgreSQL log (--store postgres://USER@HOST:PORT/DATABASE?schema=NAME; the two \
            names are one option), and \
            `export` then `import` moves a whole log between the two, record for record. \
            `console` serves the console's pages over a copy, read-only.

            Exit statuses: 0 ok; 1 a check found a problem (replay, verify); 64 bad arguments; \
            65 the data is corrupt, truncated, foreign, newer or malformed; 66 it does not \
            exist; 69 a service it needs does not answer (Docker, PostgreSQL); 73 the destination exists; 78 a \
            setting is unusable.
            """,
        subcommands: [
            Serve.self, SampleWorkerCommand.self, Demo.self, Events.self, StateCommand.self, TimelineCommand.self, ReplayCommand.self, DiffCommand.self,
            WhatIfCommand.self, Export.self, Import.self, Verify.self, Generate.self, SettingsCommand.self, ConsoleCommand.self,
        ]
    )
}
