import Foundation
public import ShiftlogCore

/// The settings written out for people, from their declarations: the README's table and the
/// list `--help` shows.
public enum SettingsTable {
    /// The README's table: one Markdown table per group, with each setting's variable, flag,
    /// default, allowed values and meaning. `scripts/settings-table` writes it into the README
    /// between its markers, and a test fails when the README's copy differs.
    public static func markdown(_ settings: [any SettingDeclaration] = ShiftlogSettings.all) -> String {
        var lines: [String] = []
        for group in SettingGroup.allCases {
            let members = settings.filter { $0.group == group }
            guard !members.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append("**\(group.rawValue)**")
            lines.append("")
            lines.append("| Variable | Flag | Default | Allowed | Meaning |")
            lines.append("| --- | --- | --- | --- | --- |")
            for setting in members {
                let cells = [
                    "`\(setting.name)`", setting.flag.map { "`\($0)`" } ?? "—",
                    setting.defaultNote.map(escaped) ?? cell(setting.defaultText),
                    setting.allowed.isEmpty ? "any" : escaped(setting.allowed), escaped(setting.help + sourcesNote(setting)),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The settings as `--help` lists them: the flag and variable, the default and range, then
    /// the help indented below.
    public static func help(_ settings: [any SettingDeclaration] = ShiftlogSettings.all) -> String {
        var lines: [String] = []
        for group in SettingGroup.allCases {
            let members = settings.filter { $0.group == group }
            guard !members.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append("\(group.rawValue):")
            for setting in members {
                let names = [setting.flag.map { "\($0) <value>" }, setting.name].compactMap { $0 }.joined(separator: ", ")
                let facts = [
                    setting.defaultText.isEmpty ? nil : "default \(setting.defaultText)",
                    setting.allowed.isEmpty ? nil : setting.allowed,
                ].compactMap { $0 }
                lines += wrapped(names + (facts.isEmpty ? "" : " (" + facts.joined(separator: "; ") + ")"), indent: 2, hanging: 6)
                lines += wrapped(setting.help + sourcesNote(setting), indent: 6, hanging: 6)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most `width` columns, the first indented by `indent` and the
    /// others by `hanging` (the help is wrapped here, narrower than a terminal, so that its
    /// indentation survives).
    private static func wrapped(_ text: String, indent: Int, hanging: Int, width: Int = 78) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(repeating: " ", count: lines.isEmpty ? indent : hanging) + word
            } else if line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: hanging) + word
            } else {
                line += " " + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static func sourcesNote(_ setting: any SettingDeclaration) -> String {
        guard setting.sources != .all, !setting.help.contains("Environment only") else { return "" }
        return setting.sources == [.environment] ? " Environment only." : ""
    }

    private static func cell(_ text: String) -> String { text.isEmpty ? "—" : "`\(escaped(text))`" }

    private static func escaped(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
