import ShiftlogCore

/// The mix of commands the driver's callers issue, in the proportions of a busy
/// orchestrator: mostly heartbeats, then locks, registrations, queue additions and spawns,
/// and enough completions, failures, stuck reports and kills to keep workers churning
/// (each one started and stopped as a real process). As with real workers, only a worker
/// whose container has started (or one that registered itself: a `register` that lands after
/// its worker ended creates one, as whim's does) calls in, and it ends no sooner than ``minimumLifetime``
/// after its spawn, so that the container handler has starts and stops to do, not only
/// spawns of workers already gone.
struct Workload {
    private var random: SplitMix

    init(seed: UInt64) { random = SplitMix(seed: seed) }

    private static let weighted: [(String, Int)] = [
        ("heartbeat", 40), ("acquireLocks", 10), ("releaseLocks", 4), ("register", 6), ("addWorkItem", 10),
        ("addRepeated", 2), ("spawnNext", 10), ("complete", 4), ("fail", 3), ("stuck", 1), ("kill", 2),
        ("cancel", 1), ("releaseAll", 1),
    ]
    private static let total = weighted.reduce(0) { $0 + $1.1 }
    private static let repos = ["acme/web", "acme/api", "acme/cli"]
    static let minimumLifetimeMilliseconds: Int64 = 500

    /// The next command against `state`, with a short name for the ack file; `nil` when the
    /// drawn kind has nothing to act on (no active worker, say).
    mutating func next(in state: LifecycleState, at now: Timestamp) -> (name: String, command: Command)? {
        var draw = Int(random.next() % UInt64(Self.total))
        var kind = Self.weighted[0].0
        for (name, weight) in Self.weighted {
            if draw < weight { kind = name; break }
            draw -= weight
        }
        let workers = state.activeWorkersById.filter { $0.containerId != nil || $0.status == .running }
        let worker = workers.isEmpty ? nil : workers[Int(random.next() % UInt64(workers.count))]
        let files = (0..<(1 + Int(random.next() % 3))).map { _ in "src/file\(random.next() % 40).swift" }
        switch kind {
        case "addWorkItem", "addRepeated":
            guard state.queuedItems.count < 40 else { return nil }
            let repo = Self.repos[Int(random.next() % 3)]
            // A repeated key answers with the first item and appends nothing.
            let key = kind == "addRepeated" ? "key-\(random.next() % 20)" : nil
            let priority = [Priority.low, .medium, .high, .critical][Int(random.next() % 4)]
            return (kind, .addWorkItem(NewWorkItem(repo: repo, spec: "# Fix issue \(random.next() % 10_000)", priority: priority, idempotencyKey: key)))
        case "spawnNext":
            return (kind, .spawnNext)
        case "cancel":
            guard let id = state.queuedItems.first else { return nil }
            return (kind, .cancelWorkItem(id))
        default:
            break
        }
        guard let worker else { return nil }
        let ending = ["complete", "fail", "stuck", "kill"].contains(kind)
        if ending, now.milliseconds(since: worker.startedAt) < Self.minimumLifetimeMilliseconds { return nil }
        let repo = state.workItems[worker.workItemId]?.repo ?? Self.repos[0]
        switch kind {
        case "heartbeat":
            return (kind, .heartbeat(workerId: worker.id, Heartbeat(iteration: worker.iteration + 1, status: "running", tokensIn: 100, tokensOut: 40)))
        case "acquireLocks": return (kind, .acquireLocks(workerId: worker.id, repo: repo, files: files))
        case "releaseLocks": return (kind, .releaseLocks(workerId: worker.id, repo: repo, files: files))
        case "releaseAll": return (kind, .releaseAllLocks(workerId: worker.id))
        case "register": return (kind, .register(workItemId: worker.workItemId))
        case "complete":
            let number = Int(random.next() % 1_000)
            return (kind, .complete(workerId: worker.id, Completion(prUrl: "https://github.com/\(repo)/pull/\(number)", prNumber: number)))
        case "fail":
            return (kind, .fail(workerId: worker.id, Failure(error: "tests failed", iteration: worker.iteration, category: .executionError)))
        case "stuck": return (kind, .stuck(workerId: worker.id, reason: "cannot resolve a conflict", attempts: 3))
        default: return (kind, .kill(workerId: worker.id, reason: "operator stop"))
        }
    }
}

/// A small seedable generator (SplitMix64), so that a run's mix can be reproduced.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
