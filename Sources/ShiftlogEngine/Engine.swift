import CoreMetrics
import Foundation
public import Logging
public import ShiftlogCore
public import ShiftlogStore

/// The embeddable engine: every lifecycle call becomes events appended to the log, folded
/// into projections, and followed by effect handlers.
///
/// Safe to call from many tasks at once: commands go through one serial writer (with group
/// commit); reads answer from the state of the last commit.
///
/// ```swift
/// let engine = try await Engine.open(path: "./shiftlog-data", runtime: myRuntime)
/// let item = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Fix the login page"))
/// let worker = try await engine.spawn(workItemId: item.id)
/// try await engine.heartbeat(workerId: worker.id, Heartbeat(iteration: 1))
/// ```
public final class Engine: Sendable {
    /// The configuration the engine was opened with.
    public let configuration: EngineConfiguration
    /// The log this engine writes.
    public let log: any EventStore
    let writer: CommandWriter
    let clock: any TimeSource
    let runtime: any ContainerRuntime
    private let effects: EffectSupervisor
    private let follower: Task<Void, Never>?

    /// Opens (or creates) the log in the folder at `path`, loads the projections (latest
    /// snapshot plus the tail), and starts the effect handlers from their checkpoints.
    ///
    /// Only one engine (one process, one open log) may write a folder at a time; another
    /// one is refused while it is open (a `StoreError` with code `locked`, naming the
    /// holder's pid).
    ///
    /// - Parameters:
    ///   - path: the folder of the LMDB environment; created if need be.
    ///   - runtime: what runs the workers' containers.
    ///   - configuration: the rules' limits and the engine's settings.
    ///   - clock: the time stamped on events (``ManualTimeSource`` in tests).
    ///   - ids: where new ids come from (``SequentialIDs`` in tests).
    ///   - logger: where the engine logs.
    ///   - metrics: the handler that records metrics.
    ///   - handlers: extra effect handlers, after the container and metrics handlers.
    ///   - startHandlers: `false` opens the engine without running any effect.
    ///   - storeOptions: how the LMDB environment is opened (read-only, map sizes).
    /// - Throws: ``EngineError`` (`invalidConfiguration`) for a configuration it cannot run
    ///   with, before anything is opened; `StoreError` when the log cannot be opened.
    public static func open(
        path: String, runtime: any ContainerRuntime, configuration: EngineConfiguration = EngineConfiguration(),
        clock: any TimeSource = SystemTimeSource(), ids: any IDSource = RandomIDs(),
        logger: Logger = Logger(label: "shiftlog"), metrics: MetricsHandler = MetricsHandler(),
        handlers: [any EffectHandler] = [], startHandlers: Bool = true, storeOptions: LMDBEventLog.Options = .init()
    ) throws -> Engine {
        try configuration.validate()
        return try open(
            store: LMDBEventLog(path: path, options: storeOptions), runtime: runtime, configuration: configuration,
            clock: clock, ids: ids, logger: logger, metrics: metrics, handlers: handlers, startHandlers: startHandlers)
    }

    /// Opens an engine on a store already opened: an `LMDBEventLog`, or a shared store such
    /// as PostgreSQL that other instances write too. On a shared store the engine folds the
    /// others' events as they arrive, decides again when another instance's append wins a race,
    /// and runs the effects (handlers and reconciliation) only while the store's election makes
    /// it the leader (``isLeading``), each outcome fenced by its term.
    ///
    /// The engine owns the store from here on: ``close()`` closes it.
    ///
    /// - Throws: ``EngineError`` (`invalidConfiguration`) for a configuration it cannot run
    ///   with; `StoreError` when the log cannot be read.
    public static func open(
        store: any EventStore, runtime: any ContainerRuntime, configuration: EngineConfiguration = EngineConfiguration(),
        clock: any TimeSource = SystemTimeSource(), ids: any IDSource = RandomIDs(),
        logger: Logger = Logger(label: "shiftlog"), metrics: MetricsHandler = MetricsHandler(),
        handlers: [any EffectHandler] = [], startHandlers: Bool = true, instance: String = Engine.defaultInstanceName
    ) throws -> Engine {
        try configuration.validate()
        return try Engine(
            log: store, runtime: runtime, configuration: configuration, clock: clock, ids: ids, logger: logger,
            handlers: startHandlers ? [ContainerHandler(runtime: runtime, configuration: configuration), metrics] + handlers : [],
            startHandlers: startHandlers, metricsFactory: metrics.factory,
            election: startHandlers ? store.leaderElection(instance: instance) : nil)
    }

    /// This process's name among the instances of a shared log: the host name and the pid.
    public static var defaultInstanceName: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    init(
        log: any EventStore, runtime: any ContainerRuntime, configuration: EngineConfiguration, clock: any TimeSource,
        ids: any IDSource, logger: Logger, handlers: [any EffectHandler], startHandlers: Bool = true,
        metricsFactory: any MetricsFactory, election: (any LeaderElection)? = nil
    ) throws {
        self.log = log
        self.configuration = configuration
        self.clock = clock
        self.runtime = runtime
        var (state, snapshot) = try Replay.load(log)
        // The rules in force become part of the story, for tools that re-decide it. On a
        // shared store another instance may append first: fold its events and decide again.
        var conflicts = 0
        while !log.isReadOnly {
            let now = state.decisionTime(clock.now())
            let context = DecisionContext(now: now, ids: ids, configuration: configuration.lifecycle)
            let decided = try decide(.recordConfiguration, state: state, context: context).events
            guard !decided.isEmpty else { break }
            var next = state
            let events = next.record(decided, at: now, correlationId: ids.next(.command))
            do {
                try log.append(AppendBatch(events: events))
                state = next
                break
            } catch let error as StoreError where error.code == .conflict && conflicts < 64 {
                conflicts += 1
                state = try Replay.fold(log, into: state)
            }
        }
        writer = CommandWriter(
            log: log, isShared: log.isShared, state: state, lastSnapshot: snapshot, clock: clock, ids: ids, configuration: configuration,
            logger: logger)
        effects = EffectSupervisor(
            .init(
                handlers: handlers, log: log, writer: writer, runtime: runtime, configuration: configuration,
                reconcile: startHandlers, logger: logger, metrics: metricsFactory),
            election: election)
        let writer = self.writer
        follower = log.isShared && !log.isReadOnly
            ? Task { await SharedStoreFollower.run(log: log, writer: writer, pollInterval: .seconds(1), logger: logger) }
            : nil
        try effects.start()
    }

    /// The projections as of the last commit.
    public var state: LifecycleState { writer.current }

    /// The engine's clock now (what the next command will be decided at, before the log's
    /// monotonic adjustment).
    public var now: Timestamp { clock.now() }

    /// Stops the effect handlers (an effect in flight is cut short and delivered again on the
    /// next open), answers every command already submitted (each with its result, or
    /// ``EngineError`` `closed`) before it returns, refuses new ones, and lets another engine
    /// open the folder for writing.
    public func close() async {
        await effects.stop()
        follower?.cancel()
        await follower?.value
        await writer.close()
        log.close()
    }

    /// Returns once every effect handler has applied every event in the log, including the
    /// outcomes their own effects appended. For tests and tools, never a `sleep`. A failing
    /// effect is retried (and at last abandoned) before this returns.
    ///
    /// - Throws: ``EngineError`` `handlerStopped` when a handler's task has ended while the
    ///   engine is open (its effects would never be applied), `closed` after ``close()``.
    public func settle() async throws {
        while true {
            let head = try log.lastSequence()
            for runner in effects.runners {
                switch await runner.waitUntilApplied(head) {
                case .reached: continue
                case .cancelled: throw CancellationError()
                case .finished:
                    let status = runner.status(head: head)
                    guard let reason = status.stopReason else { throw EngineError(.closed, "the engine is closed") }
                    throw EngineError(
                        .handlerStopped,
                        "effect handler '\(status.name)' stopped at event \(status.appliedSequence) of \(head): \(reason)")
                }
            }
            if try log.lastSequence() == head { return }
        }
    }

    /// The health of each effect handler, in the order they run (containers, metrics, then
    /// the extra handlers): how far each has applied the log, how far behind its head it is,
    /// and whether it is failing. Cheap (no I/O): for `/health` and `/api/status`.
    public var handlerStatuses: [HandlerStatus] {
        let head = writer.current.lastSequence
        return effects.runners.map { $0.status(head: head) }
    }

    /// Whether the store refused the last append (commands fail with ``EngineError``
    /// `storage` until one succeeds): `nil` while the store takes writes. Cheap, for `/health`.
    public var storeWriteFailure: StoreWriteFailure? { writer.writeFailure }

    /// Whether this instance runs the effects, reconciliation and (in the service) the loop:
    /// always on a log one process writes; on a shared log, while the store's election makes
    /// it the leader.
    public var isLeading: Bool { effects.isLeading }

    /// The leader term this instance acts in, on a shared log while it leads.
    public var leaderTerm: UInt64? { effects.term }

    /// Folds the events other instances of a shared log have appended, so that ``state``
    /// includes them now rather than at the next notification. Does nothing more on a log one
    /// process writes.
    public func catchUp() async throws {
        try await writer.catchUp()
    }

    // MARK: Commands

    /// Decides and appends a command; returns once its events are durable.
    @discardableResult
    public func execute(_ command: Command) async throws -> CommandResult {
        try await writer.submit(command)
    }

    // MARK: Workers

    /// Whether a worker may be spawned now, and if not, why (whim's `hasCapacity`).
    public func hasCapacity() -> CapacityReport {
        state.capacity(at: clock.now(), configuration.lifecycle)
    }

    /// Creates a `starting` worker for a queued or assigned item; its container is started by
    /// the container handler. Refused when the rate limiter says no, however many race, and
    /// while the item waits out its retry backoff. The worker's mode is the item's type
    /// (`mode`, when given, must agree with it).
    @discardableResult
    public func spawn(workItemId: WorkItemID, mode: SpawnMode? = nil) async throws -> Worker {
        try worker(of: await execute(.spawn(workItemId: workItemId, mode: mode)))
    }

    /// Spawns a worker for the next ready item, if capacity allows and an item is ready.
    @discardableResult
    public func spawnNext() async throws -> Worker? {
        let result = try await execute(.spawnNext)
        return result.reply == .noWorkItem ? nil : try worker(of: result)
    }

    /// Marks the item's active worker `running`, or creates one (whim's `register`).
    public func register(workItemId: WorkItemID) async throws -> (workerId: WorkerID, workItem: WorkItem) {
        let result = try await execute(.register(workItemId: workItemId))
        guard case .registered(let workerId, let itemId) = result.reply, let item = result.state.workItems[itemId] else {
            throw EngineError(.storage, "register returned no worker")
        }
        return (workerId, item)
    }

    /// Records that an active worker is alive, at the iteration it reports (a lower iteration
    /// than one already reported keeps the higher). Refused (`workerNotFound`, `workerNotActive`)
    /// for a worker that is unknown or has ended. Returns the cancel asked of the worker, if its
    /// item is being cancelled: the worker should end.
    @discardableResult
    public func heartbeat(workerId: WorkerID, _ heartbeat: Heartbeat) async throws -> CancelRequest? {
        try await execute(.heartbeat(workerId: workerId, heartbeat)).state.cancelRequests[workerId]
    }

    /// Cancels a work item. A queued or assigned item ends `cancelled` at once. A running
    /// item's worker is asked to end: it learns of the request in the answer to its next
    /// heartbeat or lock call, and is stopped as a kill stops it if it has not ended within
    /// `LifecycleConfiguration.cancelGraceSeconds` (the item then ends `cancelled`, never
    /// retried). A completion that lands first is kept. A repeat is answered the same and
    /// appends nothing.
    ///
    /// - Throws: `LifecycleError` `workItemNotFound`, or `workItemEnded` for an item that
    ///   completed or failed.
    @discardableResult
    public func cancel(itemId: WorkItemID, reason: String? = nil) async throws -> CancelOutcome {
        let result = try await execute(.cancelWorkItem(itemId, reason: reason))
        guard let item = result.state.workItems[itemId] else { throw EngineError(.storage, "the cancel returned no work item") }
        return CancelOutcome(item: item, request: item.workerId.flatMap { result.state.cancelRequests[$0] })
    }

    /// Records that an active worker finished its work item; its locks are released and its
    /// container is left to exit, and stopped if it still runs
    /// `LifecycleConfiguration.endGraceSeconds` later. An execution item that asks for verification queues a verification
    /// item; a verification item records its verdict on its parent.
    public func complete(workerId: WorkerID, _ completion: Completion = Completion()) async throws {
        try await execute(.complete(workerId: workerId, completion))
    }

    /// Records that an active worker failed; the item is retried after a backoff while it has
    /// retries left, and the worker's locks are released. `error` must not be empty
    /// (`validationFailed`).
    public func fail(
        workerId: WorkerID, error: String, iteration: Int, stack: String? = nil, category: FailureCategory? = nil,
        context: [String: JSONValue]? = nil
    ) async throws {
        try await execute(.fail(
            workerId: workerId,
            Failure(error: error, iteration: iteration, stack: stack, category: category, context: context)))
    }

    /// Records that an active worker reports itself stuck after `attempts` attempts; it ends
    /// as a failure does (retry, locks released). `reason` must not be empty.
    public func stuck(workerId: WorkerID, reason: String, attempts: Int) async throws {
        try await execute(.stuck(workerId: workerId, reason: reason, attempts: attempts))
    }

    /// Active workers whose last heartbeat is older than the stale threshold.
    public func healthCheck() -> [Worker] {
        state.staleWorkers(at: clock.now(), configuration.lifecycle)
    }

    /// Kills an active worker; its container is stopped by the container handler, with its
    /// last log lines captured. A finished worker cannot be killed.
    public func kill(workerId: WorkerID, reason: String = "killed") async throws {
        try await execute(.kill(workerId: workerId, reason: reason))
    }

    /// One pass of the orchestrator loop: give up starts past their deadline (recorded as
    /// spawn failures), stop workers whose cancel's grace ran out, mark the end graces that
    /// elapsed, end items past their deadline, kill workers past their attempt timeout and
    /// stale workers ("heartbeat timeout"), then spawn for ready items while capacity allows.
    /// Returns the workers killed (stale) and spawned.
    public func tick() async throws -> (killed: [Worker], spawned: [Worker]) {
        try await expireStarts()
        try await expireCancelGraces()
        try await expireEndGraces()
        try await expireDeadlines()
        try await expireAttempts()
        let killed = try await killStale()
        return (killed, try await spawnReady())
    }

    /// Spawns for ready items while capacity allows: one `spawnNext` for each free slot, all
    /// queued together, each decided against the state its predecessors left (so the rate
    /// limiter still says when to stop), and no container start records its outcome between
    /// them. Returns the workers spawned.
    @discardableResult
    public func spawnReady() async throws -> [Worker] {
        let room = configuration.lifecycle.maxWorkers - state.activeWorkerCount
        guard room > 0, hasCapacity().allowed else { return [] }
        var spawned: [Worker] = []
        for result in await writer.submitAll(Array(repeating: .spawnNext, count: room)) {
            switch result {
            case .success(let result) where result.reply == .noWorkItem: continue
            case .success(let result): spawned.append(try worker(of: result))
            case .failure(let error as LifecycleError) where error.apiCode == "CAPACITY_EXHAUSTED": continue  // the limiter said stop
            case .failure(let error): throw error
            }
        }
        return spawned
    }

    /// Kills the workers ``healthCheck()`` finds stale ("heartbeat timeout"), all queued
    /// together so that no container stop records its outcome between the kills. Returns the
    /// workers killed; one that ended meanwhile is skipped.
    @discardableResult
    public func killStale() async throws -> [Worker] {
        let stale = healthCheck()
        // Decided in the writer: a worker whose heartbeat lands first is spared.
        let results = await writer.submitAll(stale.map { .killIfStale(workerId: $0.id) })
        var killed: [Worker] = []
        for (worker, result) in zip(stale, results) {
            switch result {
            case .success: killed.append(worker)
            case .failure(let error as LifecycleError) where error.code == .workerNotActive || error.code == .invalidState:
                continue
            case .failure(let error): throw error
            }
        }
        return killed
    }

    /// Records a spawn failure for each worker still `starting` without a container
    /// ``EngineConfiguration/startDeadlineSeconds`` after its spawn, so that a runtime that
    /// hangs or never answers leaves no worker `starting` forever. Returns those workers.
    @discardableResult
    public func expireStarts() async throws -> [Worker] {
        let deadline = configuration.startDeadlineSeconds
        let now = clock.now()
        let overdue = state.activeWorkersById.filter {
            $0.status == .starting && $0.containerId == nil && $0.startedAt.adding(seconds: deadline) <= now
        }
        let results = await writer.submitAll(overdue.map { .expireStart(workerId: $0.id, deadlineSeconds: deadline) })
        // Refused when the start ended or its container started meanwhile.
        return zip(overdue, results).compactMap { worker, result in
            if case .success = result { worker } else { nil }
        }
    }

    /// Stops each worker whose cancel's grace has run out (`cancelGraceExpired`: its container
    /// is stopped as for a kill, its item ends `cancelled`). Decided in the writer, so a worker
    /// that ended meanwhile is skipped. Returns the workers stopped.
    @discardableResult
    public func expireCancelGraces() async throws -> [Worker] {
        let now = clock.now()
        let state = self.state
        let overdue = state.cancelRequests.filter { $0.value.stopDueAt <= now }.keys.sorted().compactMap { state.workers[$0] }
        let results = await writer.submitAll(overdue.map { .expireCancelGrace(workerId: $0.id) })
        return zip(overdue, results).compactMap { worker, result in
            if case .success = result { worker } else { nil }
        }
    }

    /// Marks the end grace elapsed (`LifecycleConfiguration.endGraceSeconds`) of each worker
    /// that reported its end, so that the container handler stops its container if it still
    /// runs and records how it ended. Returns those workers.
    @discardableResult
    public func expireEndGraces() async throws -> [WorkerID] {
        let grace = configuration.lifecycle.endGraceSeconds
        let now = clock.now()
        let due = state.awaitingExit.filter { $0.value.adding(seconds: grace) <= now }.keys.sorted()
        let results = await writer.submitAll(due.map { .expireEndGrace(workerId: $0) })
        return zip(due, results).compactMap { worker, result in
            if case .success = result { worker } else { nil }
        }
    }

    /// Kills each worker that has run on its item past the item's attempt timeout (its own
    /// `attemptTimeoutSeconds`, or `LifecycleConfiguration.attemptTimeoutSeconds`), with the
    /// reason `attempt timeout`; its item is retried per its rules. Decided in the writer, so
    /// a worker that ended meanwhile is skipped. Returns the workers killed.
    @discardableResult
    public func expireAttempts() async throws -> [Worker] {
        let overdue = state.workersPastAttemptTimeout(at: clock.now(), configuration.lifecycle)
        let results = await writer.submitAll(overdue.map { .expireAttempt(workerId: $0.id) })
        return zip(overdue, results).compactMap { worker, result in
            if case .success = result { worker } else { nil }
        }
    }

    /// Ends each item whose deadline has passed (its own `deadlineSeconds`, or
    /// `LifecycleConfiguration.deadlineSeconds`): `failed`, its worker stopped. Decided in the
    /// writer, so an item that ended meanwhile is skipped. Returns the items ended.
    @discardableResult
    public func expireDeadlines() async throws -> [WorkItemID] {
        let overdue = state.itemsPastDeadline(at: clock.now(), configuration.lifecycle).map(\.id)
        let results = await writer.submitAll(overdue.map { .expireDeadline(workItemId: $0) })
        return zip(overdue, results).compactMap { item, result in
            if case .success = result { item } else { nil }
        }
    }

    /// Compares the active workers with the runtime's containers (by the instance label) and
    /// records what differs: a worker whose container is gone or exited is `workerLost` (its
    /// item follows the retry rules); a container of ours that no active worker owns is
    /// stopped, removed and recorded as `orphanContainerRemoved`. Runs at open and every
    /// ``EngineConfiguration/reconcileInterval``; call it directly to reconcile now.
    ///
    /// - Throws: the runtime's error when it cannot list its containers (nothing is recorded).
    @discardableResult
    public func reconcile() async throws -> ReconciliationReport {
        try await Reconciliation.run(runtime: runtime, writer: writer, configuration: configuration, term: effects.term)
    }

    /// All workers, newest first.
    public func list() -> [Worker] { state.workersNewestFirst }

    /// Counts of workers by status, including the finished ones the projections no longer keep.
    public func getStats() -> WorkerStats { state.workerStats }

    /// The last `lines` lines of a worker's output: from its container while it runs, from
    /// the lines captured when it was stopped once it has ended.
    public func getLogs(workerId: WorkerID, lines: Int = 1_000) async throws -> [String] {
        let state = self.state
        guard let worker = state.workers[workerId] else {
            throw LifecycleError(.workerNotFound, "no worker '\(workerId)'")
        }
        if let captured = state.capturedLogs[workerId] { return Array(captured.suffix(max(lines, 0))) }
        guard worker.containerId != nil, let live = try await runtime.logs(name: workerId, lines: lines) else {
            throw LifecycleError(.noContainer, "worker '\(workerId)' has no container")
        }
        return live
    }

    // MARK: Queue and locks

    /// The work queue.
    public var queue: WorkQueue { WorkQueue(engine: self) }
    /// File locks.
    public var locks: FileLocks { FileLocks(engine: self) }

    private func worker(of result: CommandResult) throws -> Worker {
        guard case .worker(let id) = result.reply, let worker = result.state.workers[id] else {
            throw EngineError(.storage, "the command returned no worker")
        }
        return worker
    }
}
