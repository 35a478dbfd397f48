public import ShiftlogCore

/// Settings given as command-line flags (`--max-workers 4`, `--max-workers=4`), each
/// setting's flag as its declaration derives it. A command hands over the arguments its own
/// options did not take; the result is keyed by setting name, for ``SettingValues``.
public enum SettingArguments {
    /// The text of each setting flag in `arguments`; a later flag for the same setting wins.
    ///
    /// - Throws: `SettingError` from the `flag` source: an argument that is not a flag of
    ///   `settings` (a secret's name among them: a command line is visible to every user of the
    ///   machine), or a flag without a value.
    public static func parse(_ arguments: [String], settings: [any SettingDeclaration]) throws(SettingError)
        -> [String: String]
    {
        var values: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw SettingError(.unknownName, source: .flag, "unexpected argument \(quoted(argument))")
            }
            let name: String
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            guard let setting = settings.first(where: { $0.flag == name }) else {
                throw unknown(name, settings: settings)
            }
            if value == nil, index < arguments.endIndex, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            }
            guard let value else { throw SettingError(.badValue, source: .flag, "\(name) needs a value") }
            values[setting.name] = value
        }
        return values
    }

    private static func unknown(_ flag: String, settings: [any SettingDeclaration]) -> SettingError {
        if let setting = ShiftlogSettings.all.first(where: { $0.flag == nil && $0.spelledFlag == flag }) {
            let why =
                setting.isSecret
                ? "is a secret: set \(setting.name) in the environment, not on the command line"
                : "is read from the environment only (\(setting.name))"
            return SettingError(.notAllowedHere, source: .flag, "\(flag) \(why)")
        }
        let hint = nearestName(to: flag, among: settings.compactMap(\.flag))
        return SettingError(.unknownName, source: .flag, "unknown option \(quoted(flag))" + (hint.map { " (did you mean \($0)?)" } ?? ""))
    }
}
