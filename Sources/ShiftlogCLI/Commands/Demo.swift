import ArgumentParser
import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes

/// `shiftlog demo`: drives a few work items through the whole lifecycle, writing a real LMDB
/// log, and narrates each event; the workers run in memory, in Docker or as processes.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive three work items through the lifecycle and print the events.",
        discussion: """
            Uses a simulated clock (so the 5-minute stale threshold passes instantly) and writes \
            a real, durable LMDB log to --path. The story: two items are spawned, heartbeat and \
            take file locks; one fails and is retried after its 1-minute backoff; one goes \
            silent and is killed by the health check; the retried and remaining items complete, \
            one with a verification follow-up.

            Runtimes: `memory` (default) keeps containers in memory; `docker` runs each worker \
            as a container of --image on the daemon DOCKER_HOST names (start one offline with \
            `scripts/docker-daemon start`); `process` runs each worker as a child process, its \
            output under <path>/workers. Real workers run the sample worker script (prints, \
            ticks, exits on SIGTERM), and the demo reports how long starts and stops took.

            Examples:
              shiftlog demo --path ./shiftlog-data
              eval "$(scripts/docker-daemon start)" && shiftlog demo --path ./docker-run --runtime docker
              shiftlog demo --path ./process-run --runtime process

            Inspect the result with `mdb_stat -a <path>` (Debian package lmdb-utils).
            """)

    enum RuntimeKind: String, ExpressibleByArgument, CaseIterable {
        case memory, docker, process
    }

    @Option(name: .long, help: "Folder for the LMDB log (created if missing).")
    var path = "./shiftlog-data"

    @Flag(name: .long, help: "Delete the folder first, to start from an empty log.")
    var fresh = false

    @Option(name: .long, help: "Where workers run: memory, docker or process.")
    var runtime: RuntimeKind = .memory

    @Option(name: .long, help: "The worker image, with --runtime docker.")
    var image = SampleWorker.image

    func validate() throws {
        if !fresh, FileManager.default.fileExists(atPath: path + "/data.mdb") {
            throw ValidationError("\(path) already holds a log; pass --fresh to replace it, or another --path")
        }
    }

    func run() async throws {
        if fresh { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualTimeSource(Timestamp(iso8601: "2026-03-01T09:00:00Z")!)
        var configuration = EngineConfiguration()
        configuration.lifecycle.cooldownSeconds = 0
        configuration.reconcileInterval = nil  // once, below, before anything starts
        configuration.instanceName = "shiftlog-demo"
        let memory = InMemoryContainerRuntime()
        let timed: TimedRuntime?
        switch runtime {
        case .memory:
            timed = nil
        case .docker:
            timed = TimedRuntime(try await reporting { try await DockerRuntime.connect() })
            configuration.workerImage = image
            configuration.workerCommand = SampleWorker.command
        case .process:
            timed = TimedRuntime(try ProcessRuntime(directory: path + "/workers"))
            configuration.workerCommand = SampleWorker.command
        }
        let workers: any ContainerRuntime = timed ?? memory
        let engine = try Engine.open(
            path: path, runtime: workers, configuration: configuration, clock: clock, ids: SequentialIDs())
        let narrator = Narrator(engine: engine)
        // Containers an earlier, interrupted demo left behind are orphans of this new log.
        let leftovers = try await engine.reconcile().orphansRemoved
        if !leftovers.isEmpty { print("removed \(leftovers.count) container(s) an earlier demo left: \(leftovers.joined(separator: ", "))") }

        func at(_ offset: Int64, _ title: String) async throws {
            try await engine.settle()
            try narrator.flush()
            clock.set(Timestamp(iso8601: "2026-03-01T09:00:00Z")!.adding(seconds: offset))
            print("\n── \(clock.now().iso8601.dropLast(5)) \(title)")
        }

        try await at(0, "queue three items and run the loop")
        let login = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Fix the login form", priority: .high))
        let api = try await engine.queue.add(NewWorkItem(repo: "acme/api", spec: "Add rate limiting"))
        let docs = try await engine.queue.add(NewWorkItem(repo: "acme/docs", spec: "Document the API"))
        let first = try await engine.tick().spawned
        guard first.count == 2 else { throw ValidationError("expected the loop to spawn 2 workers, it spawned \(first.count)") }
        let (w1, w2) = (first[0].id, first[1].id)

        try await at(30, "workers heartbeat and lock files")
        try await engine.heartbeat(workerId: w1, Heartbeat(iteration: 1))
        try await engine.heartbeat(workerId: w2, Heartbeat(iteration: 1))
        _ = try await engine.locks.acquire(workerId: w1, repo: "acme/web", files: ["src/login.ts", "./src/form.ts"])

        try await at(90, "the api worker fails (retry in 1 minute); the loop fills the free slot")
        try await engine.fail(workerId: w2, error: "tests failed", iteration: 2, category: .executionError)
        guard let w3 = try await engine.tick().spawned.first?.id else { throw ValidationError("no worker for the third item") }
        try await engine.heartbeat(workerId: w3, Heartbeat(iteration: 1))

        try await at(200, "the login worker completes with a PR and asks for verification; the api item is retried")
        try await engine.complete(workerId: w1, Completion(
            prUrl: "https://github.com/acme/web/pull/42", prNumber: 42, verificationEnabled: true,
            metrics: WorkerMetrics(tokensIn: 5_000, tokensOut: 900, duration: 170_000)))
        guard let w4 = try await engine.tick().spawned.first?.id else { throw ValidationError("the api item was not retried") }

        try await at(560, "the docs worker has been silent for 6 minutes: the loop kills it and starts the verification")
        try await engine.heartbeat(workerId: w4, Heartbeat(iteration: 2))
        _ = try await engine.tick()

        try await at(600, "the remaining workers complete")
        for worker in engine.state.workers.values where worker.status.isActive {
            try await engine.complete(workerId: worker.id, Completion(verificationPassed: worker.mode == .verification ? true : nil))
        }

        // A worker that reports its end is left to exit; these sample workers never do, so the
        // loop has their containers stopped once the end grace has elapsed.
        try await at(600 + configuration.lifecycle.endGraceSeconds, "the end grace elapses: containers still running are stopped")
        try await engine.expireEndGraces()
        try await engine.settle()
        try narrator.flush()

        let state = engine.state
        let stats = engine.getStats()
        let running = try await workers.list(instance: configuration.instanceName).filter(\.running).count
        await engine.close()
        print("""

            ── summary
            events:      \(state.lastSequence) in \(path)/data.mdb
            workers:     \(stats.total) (\(stats.byStatus.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
            work items:  \(state.workItems.values.sorted { $0.id < $1.id }.map { "\($0.id) \($0.status.rawValue)" }.joined(separator: ", "))
            containers:  \(state.workers.values.filter { $0.containerId != nil }.count) started (\(runtime.rawValue)), \(running) left running
            waiting:     \([login.id, api.id, docs.id].filter { state.workItems[$0]?.status == .queued }.count) item(s) queued for retry
            """)
        if let timed { print("timings:     \(timed.report)") }
    }
}
