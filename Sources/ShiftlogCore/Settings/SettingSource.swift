/// Where a setting's value came from, in the order they win: a command-line flag over the
/// environment over the settings file over the declaration's default.
public enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    /// A flag on the command line (`--max-workers 4`).
    case flag
    /// An environment variable (`MAX_WORKERS=4`).
    case environment
    /// A key of the settings file at this path (`--config FILE`).
    case file(String)
    /// The declaration's default.
    case `default`

    /// `flag`, `environment`, `file <path>` or `default`.
    public var description: String {
        switch self {
        case .flag: "flag"
        case .environment: "environment"
        case .file(let path): "file \(path)"
        case .default: "default"
        }
    }
}

/// The places a setting may be given in. A secret is never a flag (a command line is visible
/// to every user of the machine) nor a file key (the settings file is meant to be kept under
/// version control).
public struct SettingSources: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    /// Creates the set with `rawValue`'s bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// A command-line flag.
    public static let flag = SettingSources(rawValue: 1 << 0)
    /// An environment variable.
    public static let environment = SettingSources(rawValue: 1 << 1)
    /// A key of the settings file.
    public static let file = SettingSources(rawValue: 1 << 2)
    /// Every source.
    public static let all: SettingSources = [.flag, .environment, .file]
}

/// The part of Shiftlog a setting tunes; the README's table and `--help` list the settings in
/// this order.
public enum SettingGroup: String, Sendable, CaseIterable {
    /// How the HTTP service listens and paces its loop.
    case service = "The service"
    /// Where the log is kept.
    case store = "The log"
    /// How workers are started.
    case workers = "Workers"
    /// The lifecycle rules: `decide` applies them, `what-if` re-decides a log under others.
    case rules = "Lifecycle rules"
    /// Secrets handed to every worker as they are.
    case passedToWorkers = "Passed to workers"
}
