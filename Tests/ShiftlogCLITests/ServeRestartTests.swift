import AsyncHTTPClient
import Foundation
import Testing

/// `shiftlog serve` stopped in the middle of a run, by SIGTERM and by SIGKILL, and started
/// again on the same log and port while its workers (sample workers, `shiftlog worker`, as
/// local processes) are still running. Whatever path each worker takes (its calls bridge the
/// gap, or it gives up and exits and its item is retried), the run ends the same: every item
/// completed once, no container started twice, and a log that verifies.
@Suite(.serialized) struct ServeRestartTests {
    static let items = 3

    @Test(.timeLimit(.minutes(2)), arguments: [SIGTERM, SIGKILL])
    func aRunInterruptedByASignalFinishesAfterARestart(signal: Int32) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-e2e-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log"
        // The port is chosen once: the workers' URLs name it, and the restart keeps it.
        let environment = [
            "PORT": "\(try freePort())", "MAX_WORKERS": "\(Self.items)", "COOLDOWN_SECONDS": "0",
            "LOOP_INTERVAL_MS": "100", "STALE_THRESHOLD": "5", "RETRY_BACKOFF_SECONDS": "1",
            "RECONCILE_INTERVAL_SECONDS": "1",
        ]
        let first = try await RunningService.start(path: path, arguments: ["--runtime", "process"], environment: environment)
        defer { first.forceCleanUp() }
        try await ServiceClient.withHTTPClient { http in
            try await interruptAndRestart(
                first, signal: signal, client: ServiceClient(http: http, baseURL: first.url), path: path, environment: environment)
        }
    }

    private func interruptAndRestart(
        _ first: RunningService, signal: Int32, client: ServiceClient, path: String, environment: [String: String]
    ) async throws {
        let service = first

        // Every worker holds at iteration 3 (heartbeating) until the gate file exists, so the
        // state the interruption waits for occurs however slowly the workers start: without the
        // gate, under load one worker could finish before the last one had started.
        let gate = path + ".gate"
        var ids: [String] = []
        for number in 1...Self.items {
            ids.append(try await client.add(
                repo: "acme/restart", spec: "# Item \(number)\niterations=15 interval=0.2 hold-at=3 hold=\(gate)"))
        }
        // Mid-run: every worker has heartbeat a few times and none can have ended.
        try await waitFor(within: .seconds(30), "every worker to reach iteration 3") {
            let running = try await client.workers().filter { $0["status"] as? String == "running" }
            return running.count == Self.items && running.allSatisfy { ($0["iteration"] as? Int ?? 0) >= 3 }
        }
        let ending = try await service.stop(with: signal)
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        if signal == SIGTERM {
            #expect(ending.status == 0, "\(service.output)")
            #expect(!ending.signalled)
        } else {
            #expect(ending.signalled)
            #expect(ending.status == SIGKILL)
        }

        let restarted = try await RunningService.start(path: path, arguments: ["--runtime", "process"], environment: environment)
        defer { restarted.forceCleanUp() }
        // A client of its own for the new process: a connection pooled from the old one may
        // still look open for a moment after the kill, and a request on it fails.
        try await ServiceClient.withHTTPClient { http in
            let client = ServiceClient(http: http, baseURL: restarted.url)
            var items: [[String: Any]] = []
            do {
                try await waitFor(within: .seconds(45), "every item to finish after the restart") {
                    items = try await client.items()
                    let workers = try await client.workers()
                    return items.allSatisfy { ["completed", "failed", "cancelled"].contains($0["status"] as? String) }
                        && workers.allSatisfy { !["starting", "running"].contains($0["status"] as? String) }
                }
            } catch {
                Issue.record("\(error)\nitems: \(items)\nservice output:\n\(restarted.output)")
                throw error
            }
            let stopped = try await restarted.stop(with: SIGTERM)
            #expect(stopped.status == 0, "\(restarted.output)")
            #expect(!stopped.signalled)

            // Every item completed, each exactly once, and no other item appeared.
            #expect(Set(items.compactMap { $0["id"] as? String }) == Set(ids), "\(items)")
            for item in items { #expect(item["status"] as? String == "completed", "\(item)") }
            await #expect(try loggedEvents(in: path, types: ["workItemAdded"]).count == Self.items)
            let completions = try await loggedEvents(in: path, types: ["workerCompleted"]).compactMap { $0.payload("workItemId") as? String }
            #expect(completions.sorted() == ids.sorted(), "completions: \(completions)")
            // No worker's container (here: process) was started twice.
            let starts = try await loggedEvents(in: path, types: ["containerStarted"]).compactMap { $0.payload("workerId") as? String }
            let startsByWorker = Dictionary(grouping: starts, by: { $0 }).mapValues(\.count)
            #expect(startsByWorker.values.allSatisfy { $0 == 1 }, "containers started per worker: \(startsByWorker)")
            let spawned = try await loggedEvents(in: path, types: ["workerSpawned"]).count
            print("restart after signal \(signal): \(spawned) workers for \(Self.items) items, \(starts.count) starts")
            let verify = try await ShiftlogBinary.run(["verify", "--path", path])
            #expect(verify.status == 0, "\(verify.output)")
        }
    }
}
