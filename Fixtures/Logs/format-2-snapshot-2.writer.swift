// Writes Fixtures/Logs/format-2-snapshot-2: built as a scratch executable target beside the
// sources of commit bb160fd (store format 2, snapshot layout 2: the last release before
// layout 3), so the log is the bytes that release wrote. Run: FixtureWriter <new folder>; then
// `mdb_copy -c <folder> <fixture>`. The program of format-2-snapshot-1, with its own instance
// name and seed: a real engine on a real LMDB file, a manual clock and sequential ids (the same
// run gives the same events), the in-memory container runtime with the container handler
// running (so its checkpoint is stored), a snapshot every 150 events. Items arrive three at a
// time in one millisecond (the ties layout 2 breaks by arrival, which it holds); completions
// carry metrics, learnings and reviews; some workers fail, ask for verification, or go silent
// and are killed. The whole run spans under a day, so nothing retires.
import Foundation
import ShiftlogCore
import ShiftlogEngine

struct Pseudorandom {
    var state: UInt64
    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

let path = CommandLine.arguments[1]
let clock = ManualTimeSource(Timestamp(iso8601: "2026-03-02T08:00:00Z")!)
var configuration = EngineConfiguration()
configuration.lifecycle.cooldownSeconds = 0
configuration.lifecycle.maxWorkers = 6
configuration.reconcileInterval = nil
configuration.instanceName = "fixture-format-2-snapshot-2"
configuration.snapshotInterval = 150
let engine = try Engine.open(
    path: path, runtime: InMemoryContainerRuntime(), configuration: configuration, clock: clock, ids: SequentialIDs())
var random = Pseudorandom(state: 22)
let repos = ["acme/web", "acme/api", "acme/docs", "acme/mobile"]
let priorities: [Priority] = [.low, .medium, .high, .critical]
var silent: Set<WorkerID> = []

for round in 0..<40 {
    for k in 0..<3 {
        _ = try await engine.queue.add(NewWorkItem(
            repo: repos[(round + k) % 4], spec: "Round \(round) task \(k)", priority: priorities[random.next(below: 4)]))
    }
    _ = try await engine.tick()
    try await engine.settle()
    for step in 0..<3 {
        clock.advance(seconds: 30)
        let active = engine.state.workers.values.filter { $0.status.isActive && !silent.contains($0.id) }.sorted { $0.id < $1.id }
        for worker in active {
            try await engine.heartbeat(workerId: worker.id, Heartbeat(iteration: worker.iteration + 1, tokensIn: 1_000 + random.next(below: 500), tokensOut: 200))
            if random.next(below: 5) == 0, let item = engine.state.workItems[worker.workItemId] {
                _ = try await engine.locks.acquire(workerId: worker.id, repo: item.repo, files: ["src/module\(random.next(below: 20)).swift"])
            }
            guard step == 2 else { continue }
            let iteration = worker.iteration + 1
            switch random.next(below: 20) {
            case 0..<12:
                try await engine.complete(workerId: worker.id, Completion(
                    prUrl: "https://github.com/\(engine.state.workItems[worker.workItemId]?.repo ?? "acme/web")/pull/\(100 + round)",
                    prNumber: 100 + round,
                    verificationEnabled: random.next(below: 4) == 0 ? true : nil,
                    verificationPassed: worker.mode == .verification ? random.next(below: 3) != 0 : nil,
                    review: random.next(below: 2) == 0 ? Review(modelUsed: "review-model", findings: .object(["issues": .integer(Int64(random.next(below: 4))), "summary": .string("round \(round)")])) : nil,
                    metrics: WorkerMetrics(tokensIn: 3_000 + random.next(below: 2_000), tokensOut: 600, duration: 60_000 + random.next(below: 90_000), filesModified: 1 + random.next(below: 6), testsRun: 40, testsPassed: 40, testsFailed: 0, testStatus: "passed"),
                    learnings: random.next(below: 3) == 0 ? [] : [Learning(content: "In \(engine.state.workItems[worker.workItemId]?.repo ?? "?") run the linter before the tests (round \(round))", spec: "Round \(round)")]))
            case 12..<15:
                try await engine.fail(workerId: worker.id, error: "tests failed", iteration: iteration, category: .executionError)
            case 15:
                silent.insert(worker.id)
            default:
                break
            }
        }
        try await engine.settle()
    }
    if round % 10 == 9 {
        // The silent workers pass the stale threshold and are killed.
        clock.advance(seconds: 360)
        _ = try await engine.tick()
        try await engine.settle()
        silent.removeAll()
    }
}
print("events: \(engine.state.lastSequence), metrics \(engine.state.metrics.count), learnings \(engine.state.learnings.count), reviews \(engine.state.reviews.count)")
await engine.close()
