/// A setting that cannot be used: a value that does not parse or lies out of range, a name no
/// setting has, a setting given where it may not be, or a settings file that cannot be read.
/// The message names the setting as it was given (the variable, the flag, or the file and its
/// key), quotes the bad value (cut with ``quoted(_:limit:)``) and says what is allowed.
public struct SettingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case badValue, unknownName, notAllowedHere, unreadableFile
        }

        private let base: Base

        /// A value that does not parse, or lies out of range.
        public static let badValue = Code(base: .badValue)
        /// A flag or file key that names no setting.
        public static let unknownName = Code(base: .unknownName)
        /// A setting given in a source it may not come from (a secret as a flag or file key).
        public static let notAllowedHere = Code(base: .notAllowedHere)
        /// A settings file that is missing, unreadable or not a JSON object.
        public static let unreadableFile = Code(base: .unreadableFile)

        public var description: String { base.rawValue }
    }

    /// What kind of problem it is.
    public var code: Code
    /// Where the bad input came from (a flag's problem is a usage error; the others are the
    /// configuration's).
    public var source: SettingSource
    /// The whole message, e.g. `MAX_WORKERS 0 is out of range: use 1 to 10000`.
    public var message: String

    /// An error of `code` from `source` saying `message`.
    public init(_ code: Code, source: SettingSource, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { message }
}

/// What is wrong with a value, without the name it was given under: a setting's format
/// throws it and ``Setting`` puts the name in front (`'lots' is not a whole number`).
public struct SettingProblem: Error, Sendable, Hashable {
    /// The words after the name.
    public var text: String

    /// A problem saying `text`.
    public init(_ text: String) { self.text = text }
}
