import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import ShiftlogStore
import Testing

/// Issue 12: the Docker daemon gone while work arrives. A daemon of this test's own is
/// stopped; workers spawned meanwhile stay `starting` (their items in progress, nothing
/// recorded as failed), the container handler retries their starts with backoff and shows as
/// degraded, the engine takes other commands; when the daemon is back every pending start
/// happens exactly once and the handler is healthy again.
///
/// The outage lasts `SHIFTLOG_DOCKER_OUTAGE_SECONDS` (2 by default). The long run, by hand:
///   SHIFTLOG_DOCKER_OUTAGE_SECONDS=180 swift test --filter DockerOutageTests
/// (README, "Guarantees", has the last figures.)
@Suite(.serialized, .enabled(if: !TestDocker.skipped, "SHIFTLOG_SKIP_DOCKER=1"))
struct DockerOutageTests {
    static let outage = Duration.seconds(
        Int64(ProcessInfo.processInfo.environment["SHIFTLOG_DOCKER_OUTAGE_SECONDS"] ?? "") ?? 2)

    @Test func startsWaitForTheDaemonWithBackoffAndHappenOnceWhenItReturns() async throws {
        // Its own daemon (not the one DOCKER_HOST names), so stopping it disturbs no other test.
        let folder = "/tmp/sl-outage-\(UUID().uuidString.prefix(8))"
        let host = "unix://\(folder)/docker.sock"
        try await TestDocker.withDaemon(in: folder) {
            let docker = try await DockerRuntime.connect(endpoint: try DockerEndpoint(dockerHost: host))
            let harness = try RuntimeHarness(runtime: docker) {
                $0.lifecycle.maxWorkers = 20
                $0.effectRetry.initialBackoff = .milliseconds(50)
                $0.effectRetry.maxBackoff = .milliseconds(500)
            }
            let engine = harness.engine
            func containers() -> HandlerStatus { engine.handlerStatuses.first { $0.name == "containers" }! }

            try await harness.closing {
                let first = try await harness.spawnWorker()
                try await harness.waitUntilReady(first)

                // The daemon goes away, as a host's service manager stops it: its folder (images,
                // exited containers) stays for its return.
                try await Self.halt(folder)
                let down = ContinuousClock.now
                var waiting: [Worker] = []
                func arrive(_ n: Int) async throws {
                    let item = try await engine.queue.add(NewWorkItem(repo: "acme/outage", spec: "during the outage \(n)"))
                    waiting.append(try await engine.spawn(workItemId: item.id))
                }
                try await arrive(0)
                try await eventually("the handler to fail 4 times in a row") { containers().consecutiveFailures >= 4 }
                // Backoff: 50 + 100 + 200 ms at least between the first failure and the fourth.
                #expect(down.duration(to: .now) >= .milliseconds(350))
                let degraded = containers()
                #expect(degraded.isDegraded && degraded.isRunning)
                #expect(degraded.lastError?.contains("Docker is not running: no socket at \(folder)/docker.sock") == true, "\(degraded)")
                // Reconciliation cannot list anything while the daemon is down, and records nothing.
                let before = try engine.log.lastSequence()
                await #expect(throws: DockerError.self) { try await engine.reconcile() }
                #expect(try engine.log.lastSequence() == before)
                // The worker that was running ends while the daemon is away: its stop waits too.
                try await engine.complete(workerId: first.id)
                #expect(try await engine.expireEndGraces() == [first.id])
                // More work arrives while the daemon stays down.
                var n = 1
                while down.duration(to: .now) < Self.outage || n < 3 {
                    try await arrive(n)
                    n += 1
                    try await Task.sleep(for: Self.outage / 4)
                }
                let failuresBeforeRestart = containers().consecutiveFailures
                let outageLasted = down.duration(to: .now)
                // Nothing was given up or dropped: every worker is still starting, its item in progress.
                for worker in waiting {
                    #expect(engine.state.workers[worker.id]?.status == .starting)
                    #expect(engine.state.workItems[worker.workItemId]?.status == .inProgress)
                }
                #expect(try harness.events().allSatisfy { if case .workerSpawnFailed = $0 { false } else { true } })
                #expect(containers().isDegraded)

                // The daemon returns: the pending starts happen, once each.
                try await TestDocker.script(["start", folder])
                try await engine.settle()
                let healthy = containers()
                #expect(!healthy.isDegraded && healthy.lag == 0 && healthy.abandonedEffects == 0, "\(healthy)")
                let events = try harness.events()
                let started = events.compactMap { if case .containerStarted(let e) = $0 { e.workerId } else { nil } }
                #expect(started.sorted() == ([first.id] + waiting.map(\.id)).sorted(), "one start per worker")
                for worker in waiting {
                    #expect(engine.state.workers[worker.id]?.containerId != nil)
                    #expect(try await docker.client.inspectContainer(worker.id)?.state.running == true)
                }
                // The completed worker's container had already ended (the daemon stopped it as it
                // went down) when its end grace elapsed: recorded as exited, not as stopped.
                let exited = events.compactMap { if case .containerExited(let e) = $0 { e } else { nil } }
                #expect(exited.map(\.workerId) == [first.id])
                #expect(!events.contains { if case .containerStopped = $0 { true } else { false } })
                #expect(!events.contains { if case .containerStopFailed = $0 { true } else { false } })
                let listed = try await docker.list(instance: harness.configuration.instanceName).map(\.name)
                #expect(listed.sorted() == waiting.map(\.id).sorted())
                #expect(try await engine.reconcile().lost.isEmpty)
                print("Docker outage: \(outageLasted) down, \(waiting.count) workers spawned meanwhile, \(failuresBeforeRestart) failed attempts in a row, each start once after the restart")
            }
        }
    }

    /// SIGTERM to the test's own dockerd (its pid file), then waits until it has exited (or
    /// is a zombie no one has reaped yet).
    static func halt(_ folder: String) async throws {
        let text = try String(contentsOfFile: folder + "/dockerd.pid", encoding: .utf8)
        let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGTERM) == 0)
        try await eventually(within: .seconds(60), "dockerd \(pid) to exit") {
            guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }
    }
}
