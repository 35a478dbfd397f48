import ArgumentParser
import ShiftlogCore
import ShiftlogServer

/// `shiftlog settings`: every setting, from its one declaration.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "List every setting: its variable, flag, default, range and meaning.",
        discussion: """
            The same list `shiftlog serve --help` ends with. --markdown prints the README's \\
            table, which `scripts/settings-table` writes into README.md (a test fails when the \\
            README's copy differs).
            """)

    @Flag(name: .long, help: "Print the README's Markdown table.")
    var markdown = false

    func run() {
        let output = Output()
        // The table ends with its own newline.
        output.line(markdown ? String(SettingsTable.markdown().dropLast()) : SettingsTable.help())
        output.flush()
    }
}
