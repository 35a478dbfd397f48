public import ShiftlogEngine
import ShiftlogCore

/// Runs workers as Docker containers through the Engine API (``DockerClient``): named after
/// the worker, labelled with the worker, its item and this Shiftlog instance, with the
/// configured limits and network mode, and no TTY (so logs come multiplexed and are split
/// back into standard output and error).
///
/// ```swift
/// let docker = try await DockerRuntime.connect()          // DOCKER_HOST, or /var/run/docker.sock
/// let engine = try Engine.open(path: "./shiftlog-data", runtime: docker)
/// ```
public struct DockerRuntime: ContainerRuntime {
    /// The client of the daemon the containers run on.
    public let client: DockerClient

    /// A runtime on `client`'s daemon, unchecked; ``connect(endpoint:timeout:)`` checks first.
    public init(client: DockerClient) {
        self.client = client
    }

    /// A runtime on the daemon `endpoint` names, after checking with `/version` that it
    /// answers and speaks a recent enough API.
    public static func connect(
        endpoint: DockerEndpoint? = nil, timeout: Duration = .seconds(30)
    ) async throws -> DockerRuntime {
        let client = DockerClient(endpoint: try endpoint ?? .fromEnvironment(), timeout: timeout)
        _ = try await client.version()
        return DockerRuntime(client: client)
    }

    /// Creates the container (`POST /containers/create`, environment sorted, no TTY, the spec's
    /// limits) and starts it. When the name is taken, the existing container is adopted if its
    /// instance label is the spec's. A container this call created and could not start is
    /// force-removed.
    ///
    /// - Throws: ``DockerError`` (`notFound` for a missing image, `unreachable`, `timeout`, …), or
    ///   `ContainerRuntimeError` `nameTaken`.
    public func start(_ spec: ContainerSpec) async throws -> ContainerHandle {
        let id: String
        let created: Bool
        do {
            id = try await client.createContainer(name: spec.name, Self.config(spec))
            created = true
        } catch let error as DockerError where error.code == .conflict {
            // The name is taken: a repeated spawn. Adopt the container if it is ours.
            guard let existing = try await client.inspectContainer(spec.name) else { throw error }
            let owner = existing.config.labels?[ContainerLabel.instance]
            let instance = spec.labels[ContainerLabel.instance]
            guard owner == instance else { throw ContainerRuntimeError.nameTaken(spec.name, owner: owner, instance: instance) }
            id = existing.id
            created = false
        }
        do {
            try await client.startContainer(id)
        } catch {
            // Remove what this call created, and only that: an adopted container stays.
            if created { _ = try? await client.removeContainer(id, force: true) }
            throw error
        }
        return ContainerHandle(id: id, name: spec.name, running: true, labels: spec.labels)
    }

    /// Stops a running container with the grace rounded up to whole seconds, kills it if the
    /// daemon's stop times out, then waits for its exit code. A container that exited is left as
    /// it is; one created but never started has no exit code.
    public func stop(name: String, grace: Duration) async throws -> ContainerExit? {
        do {
            guard let details = try await client.inspectContainer(name) else { return nil }
            guard details.state.running else {
                return ContainerExit(
                    containerId: details.id, exitCode: details.state.status == "created" ? nil : details.state.exitCode, stopped: false)
            }
            do {
                try await client.stopContainer(details.id, graceSeconds: Int(grace.seconds.rounded(.up)))
            } catch let error as DockerError where error.code == .timeout {
                try await client.killContainer(details.id)  // the daemon's own SIGKILL did not come in time
            }
            return ContainerExit(
                containerId: details.id, exitCode: try await client.waitContainer(details.id, timeout: client.timeout), stopped: true)
        } catch let error as DockerError where error.code == .notFound {
            return nil  // removed while we were stopping it
        }
    }

    /// The container's last `lines` lines of standard output and error, demultiplexed.
    public func logs(name: String, lines: Int) async throws -> [String]? {
        try await client.logs(name, tail: lines)
    }

    /// Force-removes the container and its anonymous volumes.
    public func remove(name: String) async throws -> Bool {
        try await client.removeContainer(name, force: true)
    }

    /// The containers labelled with `instance`, running or not, by name; an exited one's exit
    /// code is read from Docker's status text.
    public func list(instance: String) async throws -> [ContainerHandle] {
        try await client.listContainers(label: "\(ContainerLabel.instance)=\(instance)").map { summary in
            ContainerHandle(
                id: summary.id, name: summary.name, running: summary.state == "running", labels: summary.labels ?? [:],
                exitCode: Self.exitCode(status: summary.status))
        }
        .sorted { $0.name < $1.name }
    }

    /// The create body for a spec.
    static func config(_ spec: ContainerSpec) -> DockerContainerConfig {
        DockerContainerConfig(
            image: spec.image, cmd: spec.command.isEmpty ? nil : spec.command,
            env: spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }, labels: spec.labels,
            hostConfig: .init(
                memory: spec.limits.memoryBytes, memorySwap: spec.limits.memorySwapBytes,
                nanoCpus: Int64(spec.limits.cpus * 1e9), pidsLimit: spec.limits.pids, networkMode: spec.limits.networkMode))
    }

    /// The code in a list row's status, e.g. 1 in "Exited (1) 3 seconds ago".
    static func exitCode(status: String) -> Int? {
        guard status.hasPrefix("Exited ("), let close = status.firstIndex(of: ")") else { return nil }
        return Int(status[status.index(status.startIndex, offsetBy: 8)..<close])
    }
}
