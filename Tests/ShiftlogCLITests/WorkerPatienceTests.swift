import AsyncHTTPClient
import Foundation
import Testing

@testable import ShiftlogCLI

/// Issue 22 §5: the sample worker gave up on its first 503, so while the log could not take
/// writes every running item failed. It now tries a 5xx or an unanswered call again with
/// backoff, and a worker whose service cannot write for a while finishes its item as if
/// nothing had happened.
@Suite struct WorkerPatienceTests {
    /// Given the default schedule, when tries keep failing, then the waits double from
    /// 100 ms to at most 5 s, and none starts past a minute.
    @Test func theScheduleDoublesToItsLongestAndGivesUpAfterAMinute() {
        let schedule = RetrySchedule()
        #expect((0..<8).map { schedule.wait(after: $0, elapsed: .zero) }
            == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5, 5].map { .milliseconds(Int($0 * 1_000)) })
        #expect(schedule.wait(after: 100, elapsed: .zero) == .seconds(5))
        #expect(schedule.wait(after: 3, elapsed: .seconds(59)) == .milliseconds(800))
        #expect(schedule.wait(after: 3, elapsed: .milliseconds(59_300)) == nil)
    }

    /// Given a 5xx or no answer, the client tries again; given a 4xx, it does not.
    @Test func onlyA5xxOrNoAnswerIsTriedAgain() {
        #expect(OrchestratorClient.Failure(status: 503, description: "").isTransient)
        #expect(OrchestratorClient.Failure(status: 500, description: "").isTransient)
        #expect(OrchestratorClient.Failure(status: nil, description: "connection refused").isTransient)
        #expect(!OrchestratorClient.Failure(status: 404, description: "").isTransient)
        #expect(!OrchestratorClient.Failure(status: 409, description: "").isTransient)
    }

    /// Given a sample worker mid-run on a PostgreSQL log, when the database stops answering
    /// (every write answers 503) while the worker heartbeats and completes, and comes back,
    /// then the worker's calls wait it out: the item completes on its first attempt, with one
    /// worker and no failure recorded.
    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_POSTGRES"] != "1", "SHIFTLOG_SKIP_POSTGRES=1"),
        .timeLimit(.minutes(2)))
    func aWorkerWaitsOutAServiceThatCannotWrite() async throws {
        try await PrivatePostgres.with(schema: "patience") { postgres in
            let folder = NSTemporaryDirectory() + "shiftlog-patience-\(UUID().uuidString)"
            defer {
                try? FileManager.default.removeItem(atPath: folder)
            }
            let url = postgres.url
            let service = try await RunningService.start(
                path: folder + "/key", arguments: ["--runtime", "process", "--store", url],
                environment: [
                    "PORT": "\(try freePort())", "MAX_WORKERS": "1", "COOLDOWN_SECONDS": "0", "LOOP_INTERVAL_MS": "100",
                    "STALE_THRESHOLD": "120",
                ])
            defer { service.forceCleanUp() }
            let gate = folder + "/gate"
            try await ServiceClient.withHTTPClient { http in
                let client = ServiceClient(http: http, baseURL: service.url)
                let id = try await client.add(repo: "acme/patience", spec: "iterations=4 interval=0.1 hold-at=2 hold=\(gate)")
                var workerId = ""
                try await waitFor(within: .seconds(30), "the worker to hold at iteration 2") {
                    let worker = try await client.workers().first { ($0["iteration"] as? Int ?? 0) >= 2 }
                    workerId = worker?["id"] as? String ?? ""
                    return worker != nil
                }

                try await postgres.pause()
                #expect(FileManager.default.createFile(atPath: gate, contents: nil))
                try await waitFor(within: .seconds(60), "the worker to be refused and try again") {
                    try await client.get("/api/workers/\(workerId)/logs?lines=100").text.contains("HTTP 503; trying again")
                }
                try await postgres.resume()

                var item: [String: Any] = [:]
                try await waitFor(within: .seconds(60), "the item to complete") {
                    item = try await client.items().first { $0["id"] as? String == id } ?? [:]
                    return ["completed", "failed"].contains(item["status"] as? String)
                }
                #expect(item["status"] as? String == "completed", "\(item)")
                #expect(item["retryCount"] as? Int == 0, "\(item)")
            }
            await #expect(try loggedEvents(in: url, types: ["workerSpawned"]).count == 1)
            await #expect(try loggedEvents(in: url, types: ["workerFailed", "workerKilled", "workerLost"]).isEmpty)
        }
    }
}
