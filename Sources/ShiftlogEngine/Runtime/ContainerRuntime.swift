/// Runs worker containers. The engine's container handler is its only caller; Docker and
/// local-process runtimes implement it, and ``InMemoryContainerRuntime`` does for tests.
///
/// Every call is keyed by the container's name, which is the worker's id: starting a name
/// that already exists adopts that container when it is labelled as the same Shiftlog
/// instance's, so a repeated spawn is harmless. A container that does not exist is an answer
/// (`nil`, `false`), not an error; errors are for a runtime that cannot answer (daemon down,
/// timeouts, refusals), and their text is recorded.
public protocol ContainerRuntime: Sendable {
    /// Creates and starts the container, or adopts the existing one with the same name (and
    /// starts it if it is not running) when its ``ContainerLabel/instance`` label is the
    /// spec's.
    ///
    /// A start that fails leaves behind nothing that *this call* created, and touches nothing
    /// else: a container it was adopting stays as it was, and so does one of another instance.
    /// Only the runtime knows which it was, so the caller never removes after a failed start.
    ///
    /// - Throws: ``ContainerRuntimeError/Code/nameTaken`` when a container of that name
    ///   exists with another instance label (or none): it is not adopted; any other error when
    ///   the runtime cannot create or start it.
    func start(_ spec: ContainerSpec) async throws -> ContainerHandle
    /// Stops the container: SIGTERM, then SIGKILL after `grace`; returns once it has exited.
    /// A container that has already exited is left as it is (``ContainerExit/stopped`` false). `nil` when there is no such
    /// container. The container is kept, so its logs can still be read.
    func stop(name: String, grace: Duration) async throws -> ContainerExit?
    /// The last `lines` lines of the container's output (standard output and error, in
    /// order); `nil` when there is no such container.
    func logs(name: String, lines: Int) async throws -> [String]?
    /// Removes the container, stopping it first if need be. `false` when there was none.
    func remove(name: String) async throws -> Bool
    /// Containers labelled as belonging to `instance`, running or not.
    func list(instance: String) async throws -> [ContainerHandle]
}

/// An error a runtime throws when it cannot be reached at all (its daemon is down: no socket,
/// connection refused), as opposed to a refusal of this container. The container handler
/// does not record such a failure as the effect's outcome (a spawn failure would send the item
/// back to the queue to be tried again, and fail again, for as long as the runtime is away):
/// it throws it, so the effect is retried with backoff (``EffectRetryPolicy``) and the
/// handler shows as degraded (``Engine/handlerStatuses``, `/health`) until the runtime
/// answers; then the start (or stop) happens, once.
public protocol RuntimeUnavailability: Error {
    /// Whether the runtime could not be reached at all.
    var runtimeIsUnavailable: Bool { get }
}

/// What to run.
public struct ContainerSpec: Sendable, Hashable {
    /// The container's name: the worker's id.
    public var name: String
    /// The image to run.
    public var image: String
    /// May hold secrets: never logged, never recorded in an event.
    public var environment: [String: String]
    /// Labels to put on the container (``ContainerLabel``).
    public var labels: [String: String]
    /// Memory, CPU and process limits.
    public var limits: ContainerLimits
    /// The command to run; empty runs the image's own (for the process runtime: required).
    public var command: [String]

    /// A spec with every field given.
    public init(
        name: String, image: String, environment: [String: String], labels: [String: String], limits: ContainerLimits,
        command: [String] = []
    ) {
        self.name = name
        self.image = image
        self.environment = environment
        self.labels = labels
        self.limits = limits
        self.command = command
    }
}

/// Resource limits of a worker container; whim's values by default.
public struct ContainerLimits: Sendable, Hashable {
    /// Memory, in bytes (4 GiB).
    public var memoryBytes: Int64 = 4 << 30
    /// Memory plus swap, in bytes (4 GiB: no swap).
    public var memorySwapBytes: Int64 = 4 << 30
    /// CPUs (2).
    public var cpus: Double = 2
    /// Most processes at once (256).
    public var pids: Int = 256
    /// The container's network (`host`).
    public var networkMode = "host"

    /// whim's limits.
    public init() {}
}

/// A container the runtime knows.
public struct ContainerHandle: Sendable, Hashable {
    /// The runtime's id of the container.
    public var id: String
    /// Its name (the worker's id, for Shiftlog's containers).
    public var name: String
    /// Whether it is running.
    public var running: Bool
    /// Its labels.
    public var labels: [String: String]
    /// How it ended, once it has exited (when the runtime knows).
    public var exitCode: Int?

    /// A handle with every field given.
    public init(id: String, name: String, running: Bool, labels: [String: String] = [:], exitCode: Int? = nil) {
        self.id = id
        self.name = name
        self.running = running
        self.labels = labels
        self.exitCode = exitCode
    }
}

/// How a stopped container ended.
public struct ContainerExit: Sendable, Hashable {
    /// The runtime's id of the container.
    public var containerId: String
    /// Its exit status, when the runtime knows it.
    public var exitCode: Int?
    /// Whether the stop had to end it (it was running); `false` when it had already exited by
    /// itself, which is how a worker that reported its end is expected to go.
    public var stopped: Bool

    /// An exit with every field given.
    public init(containerId: String, exitCode: Int?, stopped: Bool) {
        self.containerId = containerId
        self.exitCode = exitCode
        self.stopped = stopped
    }
}

/// A runtime's refusal, with the reason recorded in the outcome event.
public struct ContainerRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable { case refused, nameTaken }
        private let value: Value

        /// The runtime could not do what was asked; the reason says why.
        public static let refused = Code(value: .refused)
        /// A container with the worker's name exists and is not this instance's: a start
        /// neither adopts nor removes it.
        public static let nameTaken = Code(value: .nameTaken)

        /// The code's name, e.g. `refused`.
        public var description: String { value.rawValue }
    }

    /// What kind of refusal this is.
    public var code: Code
    /// Why, for a person; recorded in the outcome event.
    public var reason: String

    /// A ``Code/refused`` error.
    public init(_ reason: String) {
        self.init(.refused, reason)
    }

    /// A refusal with `code` and `reason`.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The refusal to start `name` because a container of that name belongs to `owner`
    /// (its instance label; `nil`: unlabelled), not to `instance`.
    public static func nameTaken(_ name: String, owner: String?, instance: String?) -> ContainerRuntimeError {
        ContainerRuntimeError(
            .nameTaken,
            "a container named \(name) exists and is not this Shiftlog instance's ("
                + "it belongs to \(owner.map { "'\($0)'" } ?? "no instance"), this is '\(instance ?? "")'); it was left alone")
    }

    /// The reason.
    public var description: String { reason }
}

/// Labels Shiftlog puts on its containers.
public enum ContainerLabel {
    /// The worker's id.
    public static let workerId = "dev.shiftlog.worker-id"
    /// The worker's work item's id.
    public static let workItemId = "dev.shiftlog.work-item-id"
    /// The instance that started it (``EngineConfiguration/instanceName``).
    public static let instance = "dev.shiftlog.instance"
}
