/// One setting, declared once: its name (the environment variable and the settings file's
/// key), its flag, its default, what it allows, its help, and whether it is a secret. Flags,
/// `--help`, the environment reading, the settings file, the error for a bad value, the
/// engine's defaults, `what-if`'s flags and the README's table are all derived from it.
///
/// ```swift
/// static let maxWorkers = Setting(
///     "MAX_WORKERS", group: .rules, help: "Active (starting or running) workers at most.",
///     default: 2, format: .integer(in: 1...10_000), rule: \LifecycleConfiguration.maxWorkers)
/// ```
///
/// Every declaration is listed in ``ShiftlogSettings/all``.
public struct Setting<Value: Sendable>: SettingDeclaration {
    /// The environment variable, and the key in a settings file (`MAX_WORKERS`).
    public let name: String
    /// The command-line flag (`--max-workers`), or `nil` when it may not be one.
    public let flag: String?
    /// The part of Shiftlog it tunes.
    public let group: SettingGroup
    /// One or two sentences for `--help` and the README.
    public let help: String
    /// The value when no source gives one.
    public let defaultValue: Value
    /// Says what the default is when the value alone would not (`127.0.0.1 without API_KEY,
    /// else 0.0.0.0`).
    public let defaultNote: String?
    /// Where it may be given.
    public let sources: SettingSources
    /// Whether its value is kept out of logs and shown redacted.
    public let isSecret: Bool
    /// How its value is written, and what is allowed.
    public let format: SettingFormat<Value>
    /// The lifecycle rule it sets, for the rules `decide` applies (and `what-if` changes).
    public let rule: (any WritableKeyPath<LifecycleConfiguration, Value> & Sendable)?

    /// Declares a setting named `name`. Its flag is the name in lower case with dashes
    /// (`--max-workers`) unless `flag` says otherwise; a secret comes from the environment only.
    public init(
        _ name: String, group: SettingGroup, help: String, default defaultValue: Value, defaultNote: String? = nil,
        format: SettingFormat<Value>, sources: SettingSources = .all, secret: Bool = false, flag: String? = nil,
        rule: (any WritableKeyPath<LifecycleConfiguration, Value> & Sendable)? = nil
    ) {
        self.name = name
        self.group = group
        self.help = help
        self.defaultValue = defaultValue
        self.defaultNote = defaultNote
        self.isSecret = secret
        self.sources = secret ? [.environment] : sources
        self.format = format
        self.rule = rule
        self.flag = self.sources.contains(.flag) ? (flag ?? flagSpelling(of: name)) : nil
    }

    /// The value `text` stands for, given under `origin` (the variable, the flag, or the file
    /// and its key) in `source`; the error names `origin`.
    public func parse(_ text: String, origin: String, source: SettingSource) throws(SettingError) -> Value {
        do {
            return try format.parse(text)
        } catch {
            throw SettingError(.badValue, source: source, "\(origin) \(error.text)")
        }
    }

    /// `value` as it is shown: `(redacted)` for a secret that is set, empty for none.
    public func shown(_ value: Value) -> String {
        let text = format.text(of: value)
        return isSecret && !text.isEmpty ? "(redacted)" : text
    }

    // MARK: SettingDeclaration

    public var allowed: String { format.allowed }

    public var defaultText: String { defaultNote ?? format.text(of: defaultValue) }

    public var isLifecycleRule: Bool { rule != nil }

    public var anyDefault: any Sendable { defaultValue }

    public func parseAny(_ text: String, origin: String, source: SettingSource) throws(SettingError) -> any Sendable {
        try parse(text, origin: origin, source: source)
    }

    public func shownAny(_ value: any Sendable) -> String {
        guard let value = value as? Value else { return "" }
        return shown(value)
    }

    public func apply(_ value: any Sendable, to rules: inout LifecycleConfiguration) {
        guard let rule, let value = value as? Value else { return }
        rules[keyPath: rule] = value
    }
}

/// `MAX_WORKERS` as a flag: `--max-workers`.
private func flagSpelling(of name: String) -> String {
    "--" + String(name.lowercased().map { $0 == "_" ? "-" : $0 })
}

extension SettingDeclaration {
    /// The flag its name spells (`--max-workers`), whether or not it may be given as one: so
    /// that a secret given as a flag is recognised and refused for what it is.
    public var spelledFlag: String { flagSpelling(of: name) }
}

/// A ``Setting`` of any value type: what the settings reader, `--help`, the README table and
/// `--print-config` need of it.
public protocol SettingDeclaration: Sendable {
    /// The environment variable, and the key in a settings file.
    var name: String { get }
    /// The command-line flag, or `nil`.
    var flag: String? { get }
    /// The part of Shiftlog it tunes.
    var group: SettingGroup { get }
    /// One or two sentences for `--help` and the README.
    var help: String { get }
    /// Where it may be given.
    var sources: SettingSources { get }
    /// Whether its value is shown redacted.
    var isSecret: Bool { get }
    /// What is allowed, in words; empty when any text is.
    var allowed: String { get }
    /// The default as `--help` and the README show it; empty for none.
    var defaultText: String { get }
    /// Words that say what the default is, where the value alone would not.
    var defaultNote: String? { get }
    /// Whether it is a lifecycle rule (`what-if` takes those).
    var isLifecycleRule: Bool { get }
    /// The default, boxed.
    var anyDefault: any Sendable { get }
    /// ``Setting/parse(_:origin:source:)``, boxed.
    func parseAny(_ text: String, origin: String, source: SettingSource) throws(SettingError) -> any Sendable
    /// ``Setting/shown(_:)`` of a boxed value.
    func shownAny(_ value: any Sendable) -> String
    /// Sets the rule it declares in `rules` to `value` (nothing if it is not a rule).
    func apply(_ value: any Sendable, to rules: inout LifecycleConfiguration)
}

extension Setting where Value: FixedWidthInteger {
    /// The range a whole-number setting allows: the one its format checks, and the one
    /// ``NumericBounds`` holds the rule to.
    public var range: ClosedRange<Value> {
        let bounds = format.bounds ?? Int(clamping: Value.min)...Int(clamping: Value.max)
        return Value(clamping: bounds.lowerBound)...Value(clamping: bounds.upperBound)
    }
}

extension Setting {
    /// The range each number of a list setting allows.
    public func elementRange<Element: FixedWidthInteger>() -> ClosedRange<Element> where Value == [Element] {
        let bounds = format.bounds ?? Int(clamping: Element.min)...Int(clamping: Element.max)
        return Element(clamping: bounds.lowerBound)...Element(clamping: bounds.upperBound)
    }
}
