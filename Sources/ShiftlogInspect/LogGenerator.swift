public import ShiftlogCore
public import ShiftlogStore
import Foundation

/// Writes a large, realistic log for trying the tools and measuring them: items queued,
/// workers spawned (containers started), heartbeating for many iterations, taking locks,
/// completing (some with a verification round), failing into backoff, getting stuck,
/// going silent and being killed by the health check. Every event is decided by the real
/// rules; the same seed gives the same log, byte for byte.
public struct LogGenerator: Sendable {
    /// How many events to write at least: the generator stops after the command that reaches it.
    public var events: UInt64
    /// The seed of the generator's random choices: the same seed gives the same log.
    public var seed: UInt64 = 1
    /// Workers running at once.
    public var concurrency = 32
    /// A projection snapshot every this many events (0: none).
    public var snapshotInterval: UInt64 = 100_000
    /// The time of the first event; the log's clock advances up to 1.5 s a step from there.
    public var start = Timestamp(iso8601: "2026-03-01T00:00:00Z")!

    /// A generator of about `events` events, with the defaults of every other setting.
    public init(events: UInt64) { self.events = events }

    /// Appends to the empty `log` (either store), in transactions of about 16k events.
    public func write(to log: any EventStore, progress: ((UInt64) -> Void)? = nil) throws {
        guard try log.lastSequence() == 0 else {
            throw InspectError(.destinationExists, "\(log.location) already holds events; generate into a new folder")
        }
        var configuration = LifecycleConfiguration()
        configuration.maxWorkers = concurrency
        configuration.cooldownSeconds = 0
        configuration.dailyBudget = 1_000_000_000
        configuration.defaultMaxIterations = 400
        var random = SplitMix64(seed: seed)
        let ids = CountingIDs()
        var state = LifecycleState()
        var now = start
        var pending: [RecordedEvent] = []
        var lastSnapshot: UInt64 = 0
        var commandNumber = 0
        var silent: Set<WorkerID> = []  // workers that stopped heartbeating

        func run(_ command: Command, causation: String? = nil) -> [RecordedEvent] {
            let context = DecisionContext(now: now, ids: ids, configuration: configuration)
            guard let decision = try? decide(command, state: state, context: context) else { return [] }
            commandNumber += 1
            let recorded = state.record(decision.events, at: now, correlationId: "cmd-\(commandNumber)", causationId: causation)
            pending += recorded
            return recorded
        }
        func flush(force: Bool) throws {
            guard force || pending.count >= 16_384 else { return }
            var batch = AppendBatch(events: pending)
            if snapshotInterval > 0, state.lastSequence - lastSnapshot >= snapshotInterval {
                batch.snapshot = StoredSnapshot(sequence: state.lastSequence, bytes: ProjectionSnapshotCodec.encode(state))
                lastSnapshot = state.lastSequence
            }
            try log.append(batch)
            pending.removeAll(keepingCapacity: true)
            progress?(state.lastSequence)
        }

        _ = run(.recordConfiguration)
        while state.lastSequence < events {
            now = now.adding(milliseconds: Int64(random.next(below: 1_500)))
            // Keep the queue fed, and the workers busy.
            if state.queuedItems.count < concurrency {
                let repo = ["acme/web", "acme/api", "acme/docs", "acme/mobile"][random.next(below: 4)]
                _ = run(.addWorkItem(NewWorkItem(repo: repo, spec: "Task \(commandNumber)", priority: [.low, .medium, .high, .critical][random.next(below: 4)])))
            }
            for stale in state.staleWorkers(at: now, configuration) {
                for killed in run(.kill(workerId: stale.id, reason: "heartbeat timeout")).prefix(1) {
                    _ = run(.recordContainerStopped(workerId: stale.id, containerId: "ctr-\(stale.id)", found: true, exitCode: 137, logTail: ["still thinking…"]), causation: "seq:\(killed.sequence)")
                }
                silent.remove(stale.id)
            }
            if state.activeWorkerCount < concurrency {
                for spawned in run(.spawnNext) {
                    guard case .workerSpawned(let e) = spawned.event else { continue }
                    _ = run(.recordContainerStarted(workerId: e.workerId, containerId: "ctr-\(e.workerId)"), causation: "seq:\(spawned.sequence)")
                    _ = run(.register(workItemId: e.workItemId))
                }
            }
            // One worker acts, picked from the active ones in id order: a hashed collection's
            // order changes from one process to the next (Swift seeds hashing per process).
            let active = state.activeWorkerByItem.values.sorted()
            guard !active.isEmpty else { continue }
            let workerId = active[random.next(below: active.count)]
            guard let worker = state.workers[workerId], !silent.contains(workerId) else { continue }
            let roll = random.next(below: 1_000)
            var ended: [RecordedEvent] = []
            switch roll {
            case 0..<900: _ = run(.heartbeat(workerId: workerId, Heartbeat(iteration: worker.iteration + 1, tokensIn: 1_200, tokensOut: 340)))
            case 900..<940: _ = run(.acquireLocks(workerId: workerId, repo: state.workItems[worker.workItemId]?.repo ?? "acme/web", files: ["src/module\(random.next(below: 50)).swift"]))
            case 940..<970:
                let tests = random.next(below: 200)
                ended = run(.complete(workerId: workerId, Completion(
                    prUrl: "https://github.com/acme/web/pull/\(commandNumber)", prNumber: commandNumber,
                    verificationEnabled: random.next(below: 4) == 0, verificationPassed: random.next(below: 2) == 0,
                    review: random.next(below: 2) == 0
                        ? Review(modelUsed: "claude-sonnet", findings: .array([.string("nit: naming in module\(tests % 50)")]))
                        : nil,
                    metrics: WorkerMetrics(
                        tokensIn: 1_200 * worker.iteration, tokensOut: 340 * worker.iteration,
                        duration: Int(now.milliseconds(since: worker.startedAt)), filesModified: 1 + tests % 9,
                        testsRun: tests, testsPassed: tests - tests / 20, testsFailed: tests / 20, testStatus: "passed"),
                    learnings: (0..<random.next(below: 3)).map {
                        Learning(content: "module\(tests % 50) needs its fixtures rebuilt (\($0))", spec: "Task \(commandNumber)")
                    })))
            case 970..<985: ended = run(.fail(workerId: workerId, Failure(error: "tests failed", iteration: worker.iteration, category: .executionError)))
            case 985..<992: ended = run(.stuck(workerId: workerId, reason: "no progress", attempts: 3))
            default: silent.insert(workerId)
            }
            if let terminal = ended.first {
                _ = run(.recordContainerStopped(workerId: workerId, containerId: "ctr-\(workerId)", found: true, exitCode: 0, logTail: ["done"]), causation: "seq:\(terminal.sequence)")
            }
            try flush(force: false)
        }
        try flush(force: true)
    }
}

/// `worker-1`, `item-1`, …: the same ids for the same seed.
private final class CountingIDs: IDSource, @unchecked Sendable {
    private var counts: [IDKind: Int] = [:]  // one thread: the generator's

    func next(_ kind: IDKind) -> String {
        counts[kind, default: 0] += 1
        return "\(kind.rawValue)-\(counts[kind]!)"
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
