import ArgumentParser

/// `shiftlog-crash-driver`: the driver of `scripts/crash-harness` (issue 12, "Prove it").
@main
struct CrashDriver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shiftlog-crash-driver",
        abstract: "Drive the engine under load to be killed, then check what survived.",
        discussion: """
            `scripts/crash-harness` runs `drive` on one folder (or `shiftlog serve` with the \
            environment `serve-environment` prints, loaded by `drive-http`), SIGKILLs it at a \
            random moment, runs `check`, and does so again and again; at the end `finish` lets \
            the effect handlers catch up once more and stops the workers.

            Exit statuses: 0 ok; 1 a check found a loss, a duplicate start or a log that does \
            not verify; 64 bad arguments.
            """,
        subcommands: [Drive.self, DriveService.self, ServeEnvironment.self, Check.self, Finish.self])
}
