public import ShiftlogEngine

/// Why a Docker call failed. Its description is what a spawn or stop failure records, so it
/// names the daemon, the call and the daemon's own message.
public struct DockerError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// `DOCKER_HOST` (or the configuration) cannot be used.
        case badConfiguration
        /// No daemon answers: the socket is missing, or the connection is refused or reset.
        case unreachable
        /// The daemon did not answer in time.
        case timeout
        /// 404: no such container or image.
        case notFound
        /// 409: e.g. the name is in use.
        case conflict
        /// Another 4xx or a 5xx.
        case daemonError
        /// The daemon speaks an API older than the one Shiftlog needs.
        case unsupportedVersion
        /// A body that does not parse.
        case badResponse
    }

    public var code: Code
    public var message: String
    /// The HTTP status, when the daemon answered.
    public var status: Int?

    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

/// A daemon that does not answer at all (``DockerError/Code/unreachable``) is retried by the
/// container handler with backoff; a timeout, a 404, a 409 or a 5xx is the effect's recorded
/// failure.
extension DockerError: RuntimeUnavailability {
    public var runtimeIsUnavailable: Bool { code == .unreachable }
}
