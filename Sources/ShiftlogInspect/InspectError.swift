/// Why an inspection could not be done: a one-line message for the user, and a code that
/// the command line maps to an exit status.
public struct InspectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. A struct over a private enum, as swift-nio's error codes
    /// are, so that a new code is not a breaking change: a `switch` over codes needs a `default`.
    /// Its description is the code's name (`notFound`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case notFound, badInput, destinationExists
        }
        private let value: Value

        /// The id, point or range names nothing in the log.
        public static let notFound = Code(value: .notFound)
        /// An input file (JSON lines) is malformed; the message names the line.
        public static let badInput = Code(value: .badInput)
        /// The destination exists already.
        public static let destinationExists = Code(value: .destinationExists)

        /// The code's name, e.g. `notFound`: what messages and JSON show.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in one line for a person.
    public var message: String

    /// A failure with `code` and a one-line `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
