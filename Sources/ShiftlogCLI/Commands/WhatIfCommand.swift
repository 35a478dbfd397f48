import ArgumentParser
import ShiftlogCore
import ShiftlogInspect

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
              shiftlog what-if --path ./incident --max-retries 5 --retry-backoff 60,60,60 --json
            """)

    @OptionGroup var log: LogOptions

    @Option(name: .long, help: "Seconds without a heartbeat before a worker is stale.")
    var staleThreshold: Int64?

    @Option(name: .long, help: "Stale threshold for verification workers, in seconds.")
    var verificationStaleThreshold: Int64?

    @Option(name: .long, help: "Most active workers at once.")
    var maxWorkers: Int?

    @Option(name: .long, help: "Seconds between two spawns.")
    var cooldown: Int64?

    @Option(name: .long, help: "Iterations per UTC day.")
    var dailyBudget: Int?

    @Option(name: .long, help: "Retries of an execution item before it fails for good.")
    var maxRetries: Int?

    @Option(name: .long, help: "Backoff before retry 1, 2, 3… in seconds, comma-separated (e.g. 60,300,1800).")
    var retryBackoff: String?

    @Option(name: .long, help: "Immediate retries of a verification item.")
    var verificationMaxRetries: Int?

    @Option(name: .long, help: "Only the inputs up to this point (sequence number or UTC time).")
    var until: LogPoint?

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if let retryBackoff, backoff(retryBackoff) == nil {
            throw ValidationError("--retry-backoff wants whole seconds separated by commas, e.g. 60,300,1800")
        }
        let seconds = NumericBounds.seconds
        try checkOption(staleThreshold, in: 1...seconds.upperBound, "--stale-threshold", unit: "seconds")
        try checkOption(verificationStaleThreshold, in: 1...seconds.upperBound, "--verification-stale-threshold", unit: "seconds")
        try checkOption(maxWorkers, in: NumericBounds.workers, "--max-workers")
        try checkOption(cooldown, in: seconds, "--cooldown", unit: "seconds")
        try checkOption(dailyBudget, in: NumericBounds.dailyBudget, "--daily-budget")
        try checkOption(maxRetries, in: NumericBounds.retries, "--max-retries")
        try checkOption(verificationMaxRetries, in: NumericBounds.retries, "--verification-max-retries")
        for value in retryBackoff.flatMap(backoff) ?? [] {
            try checkOption(value, in: seconds, "--retry-backoff", unit: "seconds")
        }
    }

    private func backoff(_ text: String) -> [Int64]? {
        let values = text.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        return values.isEmpty || values.contains(nil) ? nil : values.compactMap { $0 }
    }

    func run() async throws {
        try await reporting {
            let log = try log.open()
            let end = try until?.resolve(in: log)
            let report = try WhatIf.run(log, through: end) { rules in
                if let staleThreshold { rules.staleThresholdSeconds = staleThreshold }
                if let verificationStaleThreshold { rules.verificationStaleThresholdSeconds = verificationStaleThreshold }
                if let maxWorkers { rules.maxWorkers = maxWorkers }
                if let cooldown { rules.cooldownSeconds = cooldown }
                if let dailyBudget { rules.dailyBudget = dailyBudget }
                if let maxRetries { rules.maxRetries = maxRetries }
                if let retryBackoff, let values = backoff(retryBackoff) { rules.retryBackoffSeconds = values }
                if let verificationMaxRetries { rules.verificationMaxRetries = verificationMaxRetries }
            }
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
