import ShiftlogCore
import Synchronization

/// A deterministic runtime that keeps its containers in memory, for tests, scenarios and the
/// demo. A test scripts what the next starts and stops do: succeed, fail with a reason, or
/// hang until cancelled (to simulate a process dying in the middle of an effect).
///
/// Like a real daemon, it outlives an engine: hand the same instance to a reopened engine
/// and it still holds the containers the first one started.
public final class InMemoryContainerRuntime: ContainerRuntime {
    /// What a scripted call does.
    public enum Outcome: Sendable, Hashable {
        /// Does what the call asks, as a healthy daemon would.
        case succeed
        /// Fails before creating anything (an adopted container is left as it was).
        case fail(String)
        /// A start only: creates the container, then fails starting it (as Docker's create
        /// then start can); the runtime removes the container it created before it throws.
        case failAfterCreate(String)
        /// Creates the container, then never answers until the calling task is cancelled.
        case hang
    }

    /// One container as the fake daemon holds it.
    public struct Container: Sendable, Hashable {
        /// Its id (`ctr-<n>`).
        public var id: String
        /// What it was started with.
        public var spec: ContainerSpec
        /// Whether it is running.
        public var running: Bool
        /// Its exit status once stopped.
        public var exitCode: Int?
        /// Its output lines (what ``logs(name:lines:)`` reads).
        public var output: [String]
    }

    private struct State {
        var containers: [String: Container] = [:]
        var startScript: [Outcome] = []
        var stopScript: [Outcome] = []
        var created = 0
        var startCalls = 0
        var stopCalls = 0
        var hangs: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Calls that have begun hanging on a scripted `.hang`, ever.
    private let hangsBegun = ProgressSignal()

    /// A runtime with no containers, whose calls all succeed until scripted.
    public init() {}

    // MARK: Scripting and inspection

    /// Queues what the next calls to `start` do, in order; unscripted calls succeed.
    public func scriptStarts(_ outcomes: Outcome...) {
        state.withLock { $0.startScript += outcomes }
    }

    /// Queues what the next calls to `stop` do, in order; unscripted calls succeed.
    public func scriptStops(_ outcomes: Outcome...) {
        state.withLock { $0.stopScript += outcomes }
    }

    /// Appends lines to a container's output, as if the worker printed them.
    public func emit(_ lines: [String], from name: String) {
        state.withLock { $0.containers[name]?.output += lines }
    }

    /// Removes a container behind the engine's back.
    public func vanish(_ name: String) {
        _ = state.withLock { $0.containers.removeValue(forKey: name) }
    }

    /// Ends a container's process on its own, as a crash would.
    public func exit(_ name: String, code: Int) {
        state.withLock { state in
            guard state.containers[name]?.running == true else { return }
            state.containers[name]?.running = false
            state.containers[name]?.exitCode = code
        }
    }

    /// Creates a running container directly, as another process (or a crashed engine) would.
    public func plant(_ spec: ContainerSpec) {
        state.withLock { state in
            state.created += 1
            state.containers[spec.name] = Container(id: "ctr-\(state.created)", spec: spec, running: true, output: [])
        }
    }

    /// The containers that exist now, by name.
    public var containers: [String: Container] { state.withLock { $0.containers } }
    /// Containers ever created (adoptions do not count).
    public var createdCount: Int { state.withLock { $0.created } }
    /// Calls to `start`, adoptions included.
    public var startCalls: Int { state.withLock { $0.startCalls } }
    /// Calls to `stop`.
    public var stopCalls: Int { state.withLock { $0.stopCalls } }

    /// Returns once `count` calls in all have begun hanging on a scripted `.hang`: the moment
    /// to simulate a crash in the middle of an effect.
    public func waitUntilHanging(count: Int = 1) async {
        await hangsBegun.wait(until: UInt64(max(count, 0)))
    }

    // MARK: ContainerRuntime

    /// Starts a container as scripted (``scriptStarts(_:)``), or at once.
    public func start(_ spec: ContainerSpec) async throws -> ContainerHandle {
        let (outcome, handle) = try state.withLock { state throws(ContainerRuntimeError) -> (Outcome, ContainerHandle?) in
            state.startCalls += 1
            let outcome = state.startScript.isEmpty ? .succeed : state.startScript.removeFirst()
            if var existing = state.containers[spec.name] {
                let owner = existing.spec.labels[ContainerLabel.instance]
                let instance = spec.labels[ContainerLabel.instance]
                guard owner == instance else { throw .nameTaken(spec.name, owner: owner, instance: instance) }
                // Adopting: a failure leaves the container exactly as it was.
                switch outcome {
                case .fail(let reason), .failAfterCreate(let reason): throw ContainerRuntimeError(reason)
                case .succeed, .hang: break
                }
                existing.running = true
                existing.exitCode = nil
                state.containers[spec.name] = existing
                return (outcome, Self.handle(existing))
            }
            switch outcome {
            case .fail(let reason): throw ContainerRuntimeError(reason)
            case .failAfterCreate(let reason):
                // Created, then the start failed: remove what this call created, and only that.
                state.created += 1
                throw ContainerRuntimeError(reason)
            case .succeed, .hang: break
            }
            state.created += 1
            let container = Container(
                id: "ctr-\(state.created)", spec: spec, running: true, output: ["\(spec.name) started from \(spec.image)"])
            state.containers[spec.name] = container
            return (outcome, Self.handle(container))
        }
        switch outcome {
        case .hang:
            try await untilCancelled()
            throw CancellationError()
        default: return handle!
        }
    }

    /// Stops a container as scripted, or at once.
    public func stop(name: String, grace: Duration) async throws -> ContainerExit? {
        let outcome = state.withLock { state -> Outcome in
            state.stopCalls += 1
            return state.stopScript.isEmpty ? .succeed : state.stopScript.removeFirst()
        }
        switch outcome {
        case .succeed: break
        case .fail(let reason), .failAfterCreate(let reason): throw ContainerRuntimeError(reason)
        case .hang:
            try await untilCancelled()
        }
        return state.withLock { state in
            guard var container = state.containers[name] else { return nil }
            let wasRunning = container.running
            if wasRunning {
                container.running = false
                container.exitCode = 137
                state.containers[name] = container
            }
            return ContainerExit(containerId: container.id, exitCode: container.exitCode, stopped: wasRunning)
        }
    }

    /// The last `lines` of the container's output.
    public func logs(name: String, lines: Int) async throws -> [String]? {
        state.withLock { state in state.containers[name].map { Array($0.output.suffix(max(lines, 0))) } }
    }

    /// Forgets the container.
    public func remove(name: String) async throws -> Bool {
        state.withLock { $0.containers.removeValue(forKey: name) != nil }
    }

    /// The containers labelled with `instance`.
    public func list(instance: String) async throws -> [ContainerHandle] {
        state.withLock { state in
            state.containers.values
                .filter { $0.spec.labels[ContainerLabel.instance] == instance }
                .map(Self.handle)
                .sorted { $0.name < $1.name }
        }
    }

    private static func handle(_ container: Container) -> ContainerHandle {
        ContainerHandle(
            id: container.id, name: container.spec.name, running: container.running, labels: container.spec.labels,
            exitCode: container.exitCode)
    }

    /// Suspends until the calling task is cancelled, then throws `CancellationError`.
    private func untilCancelled() async throws {
        let begun = state.withLock { state in
            state.hangs += 1
            return state.hangs
        }
        hangsBegun.advance(to: begun)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
        throw CancellationError()
    }
}
