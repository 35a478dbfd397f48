/// The bodies of the Docker Engine API calls Shiftlog makes (API 1.41), with Docker's own
/// field names. Only the fields Shiftlog reads or sets.

/// `GET /version`.
public struct DockerVersion: Sendable, Hashable, Decodable {
    public var version: String
    public var apiVersion: String
    public var minAPIVersion: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version", apiVersion = "ApiVersion", minAPIVersion = "MinAPIVersion"
    }
}

/// `POST /containers/create`.
public struct DockerContainerConfig: Sendable, Hashable, Encodable {
    public var image: String
    public var cmd: [String]?
    public var env: [String]
    public var labels: [String: String]
    public var tty = false
    public var hostConfig: HostConfig

    public struct HostConfig: Sendable, Hashable, Encodable {
        public var memory: Int64
        public var memorySwap: Int64
        public var nanoCpus: Int64
        public var pidsLimit: Int
        public var networkMode: String

        enum CodingKeys: String, CodingKey {
            case memory = "Memory", memorySwap = "MemorySwap", nanoCpus = "NanoCpus", pidsLimit = "PidsLimit"
            case networkMode = "NetworkMode"
        }
    }

    enum CodingKeys: String, CodingKey {
        case image = "Image", cmd = "Cmd", env = "Env", labels = "Labels", tty = "Tty", hostConfig = "HostConfig"
    }
}

/// The answer of `POST /containers/create`.
struct DockerCreated: Decodable {
    var id: String
    enum CodingKeys: String, CodingKey { case id = "Id" }
}

/// `GET /containers/{id}/json`, in part.
public struct DockerContainerDetails: Sendable, Hashable, Decodable {
    public var id: String
    public var name: String
    public var state: State
    public var config: Config
    public var hostConfig: HostConfig?

    public struct State: Sendable, Hashable, Decodable {
        public var status: String
        public var running: Bool
        public var exitCode: Int
        enum CodingKeys: String, CodingKey { case status = "Status", running = "Running", exitCode = "ExitCode" }
    }

    public struct Config: Sendable, Hashable, Decodable {
        public var image: String
        public var env: [String]?
        public var labels: [String: String]?
        public var tty: Bool?
        enum CodingKeys: String, CodingKey { case image = "Image", env = "Env", labels = "Labels", tty = "Tty" }
    }

    public struct HostConfig: Sendable, Hashable, Decodable {
        public var memory: Int64?
        public var memorySwap: Int64?
        public var nanoCpus: Int64?
        public var pidsLimit: Int?
        public var networkMode: String?
        enum CodingKeys: String, CodingKey {
            case memory = "Memory", memorySwap = "MemorySwap", nanoCpus = "NanoCpus", pidsLimit = "PidsLimit"
            case networkMode = "NetworkMode"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", state = "State", config = "Config", hostConfig = "HostConfig"
    }
}

/// One row of `GET /containers/json`.
public struct DockerContainerSummary: Sendable, Hashable, Decodable {
    public var id: String
    public var names: [String]
    public var state: String
    public var status: String
    public var labels: [String: String]?

    enum CodingKeys: String, CodingKey { case id = "Id", names = "Names", state = "State", status = "Status", labels = "Labels" }

    /// The name without Docker's leading slash.
    public var name: String { (names.first ?? id).trimmingPrefix("/") }
}

/// `POST /containers/{id}/wait`.
struct DockerWaitResult: Decodable {
    var statusCode: Int
    enum CodingKeys: String, CodingKey { case statusCode = "StatusCode" }
}

/// Docker's error body.
struct DockerMessage: Decodable {
    var message: String
}

extension String {
    fileprivate func trimmingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
