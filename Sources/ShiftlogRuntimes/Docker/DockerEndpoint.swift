import Foundation

/// Where the Docker daemon listens: its Unix socket (the default), or TCP when `DOCKER_HOST`
/// says `tcp://host:port`. TLS is not supported.
public struct DockerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// How to reach the daemon.
    public enum Transport: Sendable, Hashable {
        /// Its Unix socket, at an absolute path.
        case unixSocket(path: String)
        /// Plain HTTP over TCP (no TLS).
        case tcp(host: String, port: Int)
    }

    /// How to reach the daemon.
    public var transport: Transport

    /// The daemon's default socket.
    public static let defaultSocket = DockerEndpoint(transport: .unixSocket(path: "/var/run/docker.sock"))

    /// An endpoint reached through `transport`.
    public init(transport: Transport) {
        self.transport = transport
    }

    /// Parses a `DOCKER_HOST` value: `unix:///path/docker.sock` or `tcp://host:port`.
    ///
    /// - Throws: ``DockerError`` (`.badConfiguration`) naming what is wrong with the value.
    public init(dockerHost: String) throws {
        if dockerHost.hasPrefix("unix://") {
            let path = String(dockerHost.dropFirst("unix://".count))
            guard path.hasPrefix("/") else {
                throw DockerError(.badConfiguration, "DOCKER_HOST '\(dockerHost)' must name an absolute socket path")
            }
            transport = .unixSocket(path: path)
        } else if dockerHost.hasPrefix("tcp://") {
            let address = dockerHost.dropFirst("tcp://".count).split(separator: "/").first.map(String.init) ?? ""
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
                (1...65_535).contains(port), colon != address.startIndex
            else {
                throw DockerError(.badConfiguration, "DOCKER_HOST '\(dockerHost)' must be tcp://HOST:PORT")
            }
            transport = .tcp(host: String(address[..<colon]), port: port)
        } else {
            throw DockerError(.badConfiguration, "DOCKER_HOST '\(dockerHost)' is neither unix://PATH nor tcp://HOST:PORT")
        }
    }

    /// `DOCKER_HOST` from `environment` if set (TLS settings are refused), else the default socket.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> DockerEndpoint
    {
        if let verify = environment["DOCKER_TLS_VERIFY"], !verify.isEmpty, verify != "0" {
            throw DockerError(.badConfiguration, "DOCKER_TLS_VERIFY is set, but Shiftlog speaks plain HTTP to Docker only")
        }
        guard let host = environment["DOCKER_HOST"], !host.isEmpty else { return .defaultSocket }
        return try DockerEndpoint(dockerHost: host)
    }

    /// The URL of `pathAndQuery` (which starts with `/`) on this daemon, as AsyncHTTPClient
    /// takes it (`http+unix://<encoded socket path>/…` for a socket).
    func url(_ pathAndQuery: String) -> String {
        switch transport {
        case .unixSocket(let path):
            return "http+unix://\(Self.percentEncoded(path))\(pathAndQuery)"
        case .tcp(let host, let port):
            return "http://\(host):\(port)\(pathAndQuery)"
        }
    }

    /// The endpoint as `DOCKER_HOST` spells it: `unix:///path` or `tcp://host:port`.
    public var description: String {
        switch transport {
        case .unixSocket(let path): "unix://\(path)"
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        }
    }

    /// `text` with everything but RFC 3986's unreserved characters percent-encoded: for a
    /// socket path as a URL host, and for query values.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
