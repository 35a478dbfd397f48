import AsyncHTTPClient
import Foundation
import Testing

/// `shiftlog serve` end to end with Docker: the built binary, its loop, and real containers
/// of `shiftlog/worker:busybox` running a shell worker (`Fixtures/Workers/busybox-worker.sh`)
/// that calls the service back with busybox `wget`, as whim's workers do. Needs the daemon
/// `DOCKER_HOST` names (`scripts/test` starts one); fails without it unless
/// `SHIFTLOG_SKIP_DOCKER=1`.
@Suite(.enabled(if: !DockerShell.isSkipped, "SHIFTLOG_SKIP_DOCKER=1"))
struct ServeDockerEndToEndTests {
    static let script = ShiftlogBinary.root.appendingPathComponent("Fixtures/Workers/busybox-worker.sh")

    @Test(.timeLimit(.minutes(2)))
    func busyboxWorkersInDockerHeartbeatLockFailGoSilentAndAllComplete() async throws {
        _ = try DockerShell()  // DOCKER_HOST, or a failure naming what to run
        let folder = NSTemporaryDirectory() + "shiftlog-e2e-docker-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log"
        let worker = try String(contentsOf: Self.script, encoding: .utf8)
        let service = try await RunningService.start(
            path: path, arguments: ["--runtime", "docker"],
            environment: [
                "PORT": "0", "WORKER_IMAGE": DockerShell.image,
                "WORKER_COMMAND": worker, "STALE_THRESHOLD": "3", "LOOP_INTERVAL_MS": "200", "COOLDOWN_SECONDS": "0",
                "MAX_WORKERS": "3", "RETRY_BACKOFF_SECONDS": "1", "RECONCILE_INTERVAL_SECONDS": "2",
            ])
        defer { service.forceCleanUp() }
        try await ServiceClient.withHTTPClient { http in
            try await playTheStory(ServiceClient(http: http, baseURL: service.url), service: service, path: path)
        }
    }

    private func playTheStory(_ client: ServiceClient, service: RunningService, path: String) async throws {

        let verified = try await client.add(repo: "acme/web", spec: "# Fix the login form\niterations=3 lock=src/a.swift,src/b.swift pr=7", priority: "high")
        let failing = try await client.add(repo: "acme/api", spec: "# Speed up search\niterations=2 outcome=fail-once")
        let silent = try await client.add(repo: "acme/db", spec: "# Migrate\niterations=1 outcome=silent-once")

        // Every item (the three, and the verification of the first) ends.
        var items: [[String: Any]] = []
        do {
            try await waitFor(within: .seconds(60), "every item to finish") {
                items = try await client.items()
                return items.count == 4 && items.allSatisfy { ["completed", "failed", "cancelled"].contains($0["status"] as? String) }
            }
        } catch {
            Issue.record("\(error)\nitems: \(items)\nservice output:\n\(service.output)")
            throw error
        }
        for item in items { #expect(item["status"] as? String == "completed", "\(item)") }
        let byId = Dictionary(uniqueKeysWithValues: items.map { ($0["id"] as! String, $0) })
        #expect(byId[verified]?["retryCount"] as? Int == 0)
        #expect(byId[failing]?["retryCount"] as? Int == 1)
        #expect(byId[silent]?["retryCount"] as? Int == 1)
        let verification = items.first { $0["type"] as? String == "verification" }
        #expect(verification?["parentWorkItemId"] as? String == verified)

        let ending = try await service.stop(with: SIGTERM)
        #expect(ending.status == 0, "\(service.output)")
        #expect(!ending.signalled)
        let verify = try await ShiftlogBinary.run(["verify", "--path", path])
        #expect(verify.status == 0, "\(verify.output)")

        // The story, as the log tells it.
        let heartbeats = try await loggedEvents(in: path, types: ["heartbeatRecorded"])
        // 3 for the first item; 2 on each of the failing item's two attempts; 1 on each of the
        // silent item's.
        let sent = 9
        #expect(heartbeats.count == sent, "\(heartbeats)")
        let locks = try await loggedEvents(in: path, types: ["locksAcquired"])
        #expect(locks.map { $0.payload("paths") as? [String] ?? [] } == [["src/a.swift", "src/b.swift"]], "\(locks)")
        let failures = try await loggedEvents(in: path, types: ["workerFailed"])
        #expect(failures.map { $0.payload("error") as? String } == ["[EXECUTION_ERROR] busybox failure on attempt 1"], "\(failures)")
        #expect(failures.first?.payload("workItemId") as? String == failing)
        let kills = try await loggedEvents(in: path, types: ["workerKilled"])
        #expect(kills.map { $0.payload("reason") as? String } == ["heartbeat timeout"], "\(kills)")
        #expect(kills.first?.payload("workItemId") as? String == silent)
        let retries = try await loggedEvents(in: path, types: ["workItemRetryScheduled"])
        #expect(Set(retries.compactMap { $0.payload("workItemId") as? String }) == [failing, silent], "\(retries)")
        let verdicts = try await loggedEvents(in: path, types: ["verificationRecorded"])
        #expect(verdicts.count == 1, "\(verdicts)")
        #expect(verdicts.first?.payload("passed") as? Bool == true, "\(verdicts)")
        #expect(verdicts.first?.payload("parentWorkItemId") as? String == verified)
        // Six containers (three first attempts, two retries, one verification), one per worker.
        let starts = try await loggedEvents(in: path, types: ["containerStarted"])
        let startedWorkers = starts.compactMap { $0.payload("workerId") as? String }
        #expect(startedWorkers.count == 6, "\(starts)")
        #expect(Set(startedWorkers).count == 6, "\(starts)")
        let completions = try await loggedEvents(in: path, types: ["workerCompleted"])
        #expect(completions.count == 4, "\(completions)")
        // Every worker used the credential in its URL.
        await #expect(try loggedEvents(in: path, types: ["accessRefused"]).isEmpty)
    }
}
