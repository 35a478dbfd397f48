/// Runs worker containers. The engine's container handler is its only caller; Docker and
/// local-process runtimes implement it, and ``InMemoryContainerRuntime`` does for tests.
///
/// Every call is keyed by the container's name, which is the worker's id: starting a name
/// that already exists adopts that container, so a repeated spawn is harmless.
public protocol ContainerRuntime: Sendable {
    /// Creates and starts the container, or adopts a running one with the same name.
    func start(_ spec: ContainerSpec) async throws -> ContainerHandle
    /// Stops the container (SIGTERM, then SIGKILL after `grace`) and removes it. `nil` when
    /// there is no such container.
    func stop(name: String, grace: Duration) async throws -> ContainerExit?
    /// The last `lines` lines of the container's output; `nil` when there is no such container.
    func logs(name: String, lines: Int) async throws -> [String]?
    /// Containers labelled as belonging to `instance`.
    func list(instance: String) async throws -> [ContainerHandle]
}

/// What to run.
public struct ContainerSpec: Sendable, Hashable {
    /// The container's name: the worker's id.
    public var name: String
    public var image: String
    /// May hold secrets: never logged, never recorded in an event.
    public var environment: [String: String]
    public var labels: [String: String]
    public var limits: ContainerLimits

    public init(name: String, image: String, environment: [String: String], labels: [String: String], limits: ContainerLimits) {
        self.name = name
        self.image = image
        self.environment = environment
        self.labels = labels
        self.limits = limits
    }
}

/// Resource limits of a worker container; whim's values by default.
public struct ContainerLimits: Sendable, Hashable {
    public var memoryBytes: Int64 = 4 << 30
    public var memorySwapBytes: Int64 = 4 << 30
    public var cpus: Double = 2
    public var pids: Int = 256
    public var networkMode = "host"

    public init() {}
}

/// A container the runtime knows.
public struct ContainerHandle: Sendable, Hashable {
    public var id: String
    public var name: String
    public var running: Bool
    public var labels: [String: String]

    public init(id: String, name: String, running: Bool, labels: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.running = running
        self.labels = labels
    }
}

/// How a stopped container ended.
public struct ContainerExit: Sendable, Hashable {
    public var containerId: String
    public var exitCode: Int?

    public init(containerId: String, exitCode: Int?) {
        self.containerId = containerId
        self.exitCode = exitCode
    }
}

/// A runtime's refusal, with the reason recorded in the outcome event.
public struct ContainerRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// Labels Shiftlog puts on its containers.
public enum ContainerLabel {
    public static let workerId = "dev.shiftlog.worker-id"
    public static let workItemId = "dev.shiftlog.work-item-id"
    public static let instance = "dev.shiftlog.instance"
}
