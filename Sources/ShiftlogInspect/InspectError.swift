/// Why an inspection could not be done: a one-line message for the user, and a code that
/// the command line maps to an exit status.
public struct InspectError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The id, point or range names nothing in the log.
        case notFound
        /// An input file (JSON lines) is malformed; the message names the line.
        case badInput
        /// The destination exists already.
        case destinationExists
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
