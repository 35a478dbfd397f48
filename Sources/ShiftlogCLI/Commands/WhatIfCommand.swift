import ArgumentParser
import ShiftlogCore
import ShiftlogInspect
import ShiftlogServer

/// `shiftlog what-if`: re-decide the recorded inputs under other rules.
struct WhatIfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "what-if",
        abstract: "Re-decide the recorded inputs under other rules and show what would differ.",
        discussion: """
            Starts from the rules recorded in the log (or whim's defaults), changes the ones \
            you give, and feeds every recorded input (adds, spawns, registrations, heartbeats, \
            completions, failures, container outcomes) back through the rules at its recorded \
            time. The health check is re-run before every input, so heartbeat-timeout kills \
            are re-decided. Prints the kills that would not have happened (or would have), \
            every input whose outcome differs, and the work items that would end differently. \
            Runs in memory: the log is only read.

            What a worker did after a kill that would no longer happen was never recorded \
            (its calls were refused), so the what-if cannot know it.

            Examples:
              shiftlog what-if --path ./incident --stale-threshold 900
              shiftlog what-if --path ./incident --max-retries 5 --retry-backoff-seconds 60,60,60 --json

            The rules take the names `shiftlog serve` gives them:

            """ + SettingsTable.help(ShiftlogSettings.rules))

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Only the inputs up to this point (sequence number or UTC time).")
    var until: LogPoint?

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Rules as flags, --NAME VALUE or --NAME=VALUE: see the list above.", valueName: "rule"))
    var ruleArguments: [String] = []

    /// The rules given as flags, checked as `shiftlog serve` checks them: a bad value is a
    /// usage error (64) naming the flag and the range.
    func givenRules() throws -> SettingValues {
        do {
            let flags = try SettingArguments.parse(ruleArguments, settings: ShiftlogSettings.rules)
            return try SettingValues(ShiftlogSettings.rules, flags: flags)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws { _ = try givenRules() }

    func run() async throws {
        try await reporting {
            let log = try log.open()
            let end = try until?.resolve(in: log)
            let given = try givenRules()
            let report = try WhatIf.run(log, through: end) { rules in given.applyRules(to: &rules, onlyGiven: true) }
            if json {
                try printJSON(report)
                return
            }
            let output = Output()
            output.line("recorded rules: " + Event.configurationRecorded(.init(lifecycle: report.baseline)).summary)
            output.line("what-if rules:  " + Event.configurationRecorded(.init(lifecycle: report.configuration)).summary)
            output.line("\(report.inputs) recorded inputs re-decided")
            output.line("")
            output.line("kills that would not have happened: \(report.killsAvoided.count)")
            for kill in report.killsAvoided { output.line("  \(kill)") }
            output.line("kills that would have happened instead: \(report.newKills.count)")
            for kill in report.newKills { output.line("  \(kill)") }
            output.line("")
            output.line("work items that would end differently: \(report.items.count)")
            for item in report.items { output.line("  \(item.workItemId): \(item.recorded) → \(item.whatIf)") }
            output.line("")
            output.line("inputs whose outcome differs: \(report.differences.count)")
            for difference in report.differences {
                output.line("  #\(difference.sequence) \(difference.time.iso8601) \(difference.input)")
                output.line("      recorded: \(difference.recorded)")
                output.line("      what-if:  \(difference.whatIf)")
            }
        }
    }
}

import Foundation
