/// The bodies of the Docker Engine API calls Shiftlog makes (API 1.41), with Docker's own
/// field names. Only the fields Shiftlog reads or sets.

/// `GET /version`.
public struct DockerVersion: Sendable, Hashable, Decodable {
    /// The Docker version, e.g. `24.0.7`.
    public var version: String
    /// The newest API version the daemon speaks, e.g. `1.43`.
    public var apiVersion: String
    /// The oldest API version it still speaks, when it says.
    public var minAPIVersion: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version", apiVersion = "ApiVersion", minAPIVersion = "MinAPIVersion"
    }
}

/// `POST /containers/create`.
public struct DockerContainerConfig: Sendable, Hashable, Encodable {
    /// The image to run.
    public var image: String
    /// The command; `nil` runs the image's own.
    public var cmd: [String]?
    /// The environment, as `NAME=value` strings.
    public var env: [String]
    /// The container's labels (Shiftlog's worker, item and instance).
    public var labels: [String: String]
    /// Whether to give the container a terminal; never for Shiftlog, so that its logs come
    /// multiplexed (``DockerLogFrames``).
    public var tty = false
    /// Limits and networking.
    public var hostConfig: HostConfig

    /// The resource limits and network of the container to create.
    public struct HostConfig: Sendable, Hashable, Encodable {
        /// Memory limit, in bytes.
        public var memory: Int64
        /// Memory plus swap limit, in bytes; equal to ``memory`` for no swap.
        public var memorySwap: Int64
        /// CPU quota, in billionths of a CPU.
        public var nanoCpus: Int64
        /// Most processes at once.
        public var pidsLimit: Int
        /// The network, e.g. `host` or `bridge`.
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
    /// The container's id.
    public var id: String
    /// Its name, with Docker's leading `/`.
    public var name: String
    /// Whether it runs, and how it exited.
    public var state: State
    /// What it was created with.
    public var config: Config
    /// Its limits and network, when the daemon says.
    public var hostConfig: HostConfig?

    /// A container's run state.
    public struct State: Sendable, Hashable, Decodable {
        /// Docker's word: `created`, `running`, `exited`, …
        public var status: String
        /// Whether it is running.
        public var running: Bool
        /// The exit code of its last run (0 when it never ran: check ``status``).
        public var exitCode: Int
        enum CodingKeys: String, CodingKey { case status = "Status", running = "Running", exitCode = "ExitCode" }
    }

    /// What a container was created with.
    public struct Config: Sendable, Hashable, Decodable {
        /// The image.
        public var image: String
        /// The environment, as `NAME=value` strings.
        public var env: [String]?
        /// Its labels.
        public var labels: [String: String]?
        /// Whether it has a terminal.
        public var tty: Bool?
        enum CodingKeys: String, CodingKey { case image = "Image", env = "Env", labels = "Labels", tty = "Tty" }
    }

    /// A container's resource limits and network, as the daemon reports them.
    public struct HostConfig: Sendable, Hashable, Decodable {
        /// Memory limit, in bytes.
        public var memory: Int64?
        /// Memory plus swap limit, in bytes.
        public var memorySwap: Int64?
        /// CPU quota, in billionths of a CPU.
        public var nanoCpus: Int64?
        /// Most processes at once.
        public var pidsLimit: Int?
        /// The network.
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
    /// The container's id.
    public var id: String
    /// Its names, each with Docker's leading `/`.
    public var names: [String]
    /// Docker's word: `created`, `running`, `exited`, …
    public var state: String
    /// Docker's sentence, e.g. `Exited (1) 3 seconds ago`.
    public var status: String
    /// Its labels.
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
