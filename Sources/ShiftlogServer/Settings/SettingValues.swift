public import ShiftlogCore

/// The value of every setting and where it came from, resolved from the sources in the order
/// they win: a flag over the environment over the settings file over the declaration's
/// default.
///
/// ```swift
/// let values = try SettingValues(flags: ["MAX_WORKERS": "4"], environment: ProcessInfo.processInfo.environment)
/// values[ShiftlogSettings.maxWorkers]         // 4
/// values.source(of: ShiftlogSettings.port)    // .default
/// ```
public struct SettingValues: Sendable {
    /// One setting's value and its source.
    public struct Entry: Sendable {
        /// The setting.
        public var setting: any SettingDeclaration
        /// Its value (the default's type).
        public var value: any Sendable
        /// Where the value came from.
        public var source: SettingSource
    }

    /// Every setting resolved, in the order of `settings`.
    public private(set) var entries: [Entry]

    /// Resolves `settings` from `flags` and `environment` (both keyed by the setting's name:
    /// what ``SettingArguments`` and the process environment give) and `file`. A source a
    /// setting may not come from is not read (an `API_KEY` flag or file key is refused where
    /// those are parsed); an empty or blank value counts as not given.
    ///
    /// - Throws: `SettingError` naming the first bad value (a flag's before the
    ///   environment's before the file's), with the source it came from; a value is checked even
    ///   where a higher source overrides it.
    public init(
        _ settings: [any SettingDeclaration] = ShiftlogSettings.all, flags: [String: String] = [:],
        environment: [String: String] = [:], file: SettingsFile? = nil
    ) throws(SettingError) {
        var entries: [Entry] = []
        for setting in settings {
            var layers: [(SettingSource, String, String?)] = []
            if setting.sources.contains(.flag), let flag = setting.flag { layers.append((.flag, flag, flags[setting.name])) }
            if setting.sources.contains(.environment) { layers.append((.environment, setting.name, environment[setting.name])) }
            if setting.sources.contains(.file), let file {
                layers.append((.file(file.path), "\(file.path): \(setting.name)", file.values[setting.name]))
            }
            // Every given value is checked, also one a higher source overrides: a bad value in
            // the file must not wait for the day the environment stops hiding it.
            var given: [Entry] = []
            for (source, origin, text) in layers {
                guard let text = text.map(Self.trimmed), !text.isEmpty else { continue }
                given.append(Entry(setting: setting, value: try setting.parseAny(text, origin: origin, source: source), source: source))
            }
            entries.append(given.first ?? Entry(setting: setting, value: setting.anyDefault, source: .default))
        }
        self.entries = entries
    }

    /// The value of `setting`.
    ///
    /// - Precondition: `setting` was among those resolved (every setting must be listed in
    ///   `ShiftlogSettings/all`).
    public subscript<Value>(_ setting: Setting<Value>) -> Value {
        guard let value = entry(setting.name)?.value as? Value else {
            preconditionFailure("\(setting.name) was not resolved: is it listed in ShiftlogSettings.all?")
        }
        return value
    }

    /// Where the value of `setting` came from.
    public func source(of setting: some SettingDeclaration) -> SettingSource {
        entry(setting.name)?.source ?? .default
    }

    /// Whether `setting` was given by some source rather than left at its default.
    public func isGiven(_ setting: some SettingDeclaration) -> Bool { source(of: setting) != .default }

    /// `rules` with every lifecycle rule resolved here applied (the rules left at their
    /// default are applied too: the declared default is the rule's).
    public func applyRules(to rules: inout LifecycleConfiguration, onlyGiven: Bool = false) {
        for entry in entries where entry.setting.isLifecycleRule && (!onlyGiven || entry.source != .default) {
            entry.setting.apply(entry.value, to: &rules)
        }
    }

    private func entry(_ name: String) -> Entry? { entries.first { $0.setting.name == name } }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
