public import ShiftlogEngine

/// Why a Docker call failed. Its description is what a spawn or stop failure records, so it
/// names the daemon, the call and the daemon's own message.
public struct DockerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. A struct over a private enum, as swift-nio's error codes
    /// are, so that a new code is not a breaking change: a `switch` over codes needs a `default`.
    /// Its description is the code's name (`badConfiguration`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case badConfiguration, unreachable, timeout, notFound, conflict, daemonError,
                unsupportedVersion, badResponse
        }
        private let value: Value

        /// `DOCKER_HOST` (or the configuration) cannot be used.
        public static let badConfiguration = Code(value: .badConfiguration)
        /// No daemon answers: the socket is missing, or the connection is refused or reset.
        public static let unreachable = Code(value: .unreachable)
        /// The daemon did not answer in time.
        public static let timeout = Code(value: .timeout)
        /// 404: no such container or image.
        public static let notFound = Code(value: .notFound)
        /// 409: e.g. the name is in use.
        public static let conflict = Code(value: .conflict)
        /// Another 4xx or a 5xx.
        public static let daemonError = Code(value: .daemonError)
        /// The daemon speaks an API older than the one Shiftlog needs.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// A body that does not parse.
        public static let badResponse = Code(value: .badResponse)

        /// The code's name, e.g. `badConfiguration`: what messages and JSON show.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in one line for a person.
    public var message: String
    /// The HTTP status, when the daemon answered.
    public var status: Int?

    /// A failure with `code` and a one-line `message`.
    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The message.
    public var description: String { message }
}

/// A daemon that does not answer at all (``DockerError/Code/unreachable``) is retried by the
/// container handler with backoff; a timeout, a 404, a 409 or a 5xx is the effect's recorded
/// failure.
extension DockerError: RuntimeUnavailability {
    /// Whether the daemon did not answer at all (``Code/unreachable``); timeouts and refusals
    /// are answers.
    public var runtimeIsUnavailable: Bool { code == .unreachable }
}
