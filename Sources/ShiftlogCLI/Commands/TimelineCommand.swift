import ArgumentParser
import ShiftlogCore
import ShiftlogInspect

/// `shiftlog timeline <id>`: the story of one worker or work item.
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Tell the story of one worker or work item.",
        discussion: """
            Every event about it, with the time since the previous one; heartbeat gaps longer \
            than the stale threshold flagged (⚠); the container effects each event asked for and \
            the outcome that came back; locks taken and released. The first lines answer "what \
            happened to it, and why" — e.g. how long after its last heartbeat a worker was \
            killed, against which threshold.

            The stale threshold is the one recorded in the log at that point (the engine \
            records its rules when it opens the log); --stale-threshold overrides it.

            Examples:
              shiftlog timeline worker-3 --path ./incident
              shiftlog timeline item-2 --path ./incident --json
            """)

    @Argument(help: "A worker id (worker-3) or a work item id (item-2).")
    var id: String

    @OptionGroup var log: LogOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Flag gaps against this many seconds instead of the recorded threshold (STALE_THRESHOLD's range: \(ShiftlogSettings.staleThreshold.allowed)).",
            valueName: "seconds"))
    var staleThreshold: String?

    @Flag(name: .long, help: "Print the timeline as JSON.")
    var json = false

    /// `--stale-threshold`, checked as the `STALE_THRESHOLD` setting is.
    private func threshold() throws -> Int64? {
        guard let staleThreshold else { return nil }
        do {
            return try ShiftlogSettings.staleThreshold.parse(staleThreshold, origin: "--stale-threshold", source: .flag)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws { _ = try threshold() }

    func run() async throws {
        try await reporting {
            let timeline = try Timeline.build(of: id, in: try log.open(), staleThreshold: try threshold())
            if json {
                try printJSON(timeline)
                return
            }
            let output = Output()
            for line in timeline.verdict { output.line(line) }
            output.line("")
            let columns = Columns(widths: [8, 26, 10, 24])
            output.line(columns.row(["SEQ", "TIME", "+DELTA", "EVENT", "DETAILS"]))
            for entry in timeline.entries {
                output.line(columns.row([
                    String(entry.sequence), entry.time.iso8601, entry.sincePrevious.map { "+" + Elapsed.text($0) } ?? "",
                    entry.type.rawValue, entry.summary,
                ]))
                for note in entry.notes { output.line(String(repeating: " ", count: 44) + "↳ " + note) }
            }
        }
    }
}
