import Foundation
import Testing

/// Issue 18 §1–2 over HTTP, with `shiftlog serve` and real worker processes: a cancel reaches
/// a running worker through its heartbeat's answer; a worker that ignores it is stopped after
/// the grace; a worker that reported its end is left to exit.
@Suite(.timeLimit(.minutes(2))) struct CancelOverHTTPTests {
    /// Starts a service on a fresh folder with worker processes, runs `body`, cleans up.
    func withService(
        _ environment: [String: String], _ body: (ServiceClient, RunningService, String) async throws -> Void
    ) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-cancel-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let service = try await RunningService.start(
            path: folder + "/log", arguments: ["--runtime", "process"],
            environment: ["PORT": "0", "MAX_WORKERS": "3", "COOLDOWN_SECONDS": "0", "LOOP_INTERVAL_MS": "100"]
                .merging(environment) { $1 })
        defer { service.forceCleanUp() }
        try await ServiceClient.withHTTPClient { http in
            try await body(ServiceClient(http: http, baseURL: service.url), service, folder)
        }
    }

    func item(_ id: String, _ client: ServiceClient) async throws -> [String: Any] {
        try await client.items().first { $0["id"] as? String == id } ?? [:]
    }

    /// Given a sample worker heartbeating every 0.1 s, when its item is cancelled, then it
    /// learns of it from its next heartbeat's answer and ends within a second (its `fail`
    /// lands less than a second after the request): the item is cancelled, not retried, no
    /// stop was needed, and its process, left to exit, exited 0 by itself.
    @Test func theSampleWorkerHonoursACancelWithinASecond() async throws {
        try await withService(["CANCEL_GRACE_SECONDS": "30", "END_GRACE_SECONDS": "2"]) { client, service, _ in
            let id = try await client.add(repo: "acme/cancel", spec: "iterations=10000 interval=0.1")
            try await waitFor(within: .seconds(30), "the worker to heartbeat") {
                try await client.workers().contains { ($0["iteration"] as? Int ?? 0) >= 1 }
            }
            let answer = try await client.post("/api/work/\(id)/cancel", ["reason": "wrong repo"])
            #expect(answer.status == 200, "\(answer.text)")
            let body = answer.json as? [String: Any]
            #expect(body?["success"] as? Bool == true && body?["status"] as? String == "in_progress")
            #expect((body?["cancel"] as? [String: Any])?["reason"] as? String == "wrong repo")
            try await waitFor(within: .seconds(30), "the item to be cancelled") {
                try await item(id, client)["status"] as? String == "cancelled"
            }
            try await waitFor(within: .seconds(30), "the worker's container end to be recorded") {
                await !(try loggedEvents(in: service.path, types: ["containerExited", "containerStopped"])).isEmpty
            }
            let events = try await loggedEvents(in: service.path)
            let types = events.compactMap { $0["type"] as? String }
            let requested = try #require(events.first { $0["type"] as? String == "cancelRequested" })
            let failed = try #require(events.first { $0["type"] as? String == "workerFailed" })
            let gap = try milliseconds(from: requested, to: failed)
            #expect(gap < 1_000, "the worker ended \(gap) ms after the request")
            #expect(failed.payload("error") as? String == "cancelled: wrong repo")
            #expect(!types.contains("cancelGraceExpired") && !types.contains("workItemRetryScheduled"), "\(types)")
            let exited = try #require(events.first { $0["type"] as? String == "containerExited" }, "\(types)")
            #expect(exited.payload("exitCode") as? Int == 0)
            #expect((exited.payload("logTail") as? [String])?.contains { $0.contains("ended for the cancel") } == true)
        }
    }

    /// Given a worker that only heartbeats (it never reads an answer, like whim's), when its
    /// item is cancelled, then it is stopped once the 1 s grace has run out: killed, its item
    /// cancelled, its container stopped with its last lines captured.
    @Test func aWorkerThatIgnoresTheCancelIsStoppedAfterTheGrace() async throws {
        let heartbeats = #"while true; do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"iteration":1}' "$ORCHESTRATOR_URL/api/worker/$WORKER_ID/heartbeat"; echo beat; sleep 0.2; done"#
        try await withService(["CANCEL_GRACE_SECONDS": "1", "WORKER_COMMAND": heartbeats]) { client, service, _ in
            let id = try await client.add(repo: "acme/cancel", spec: "ignore the cancel")
            try await waitFor(within: .seconds(30), "the worker to heartbeat") {
                try await client.workers().contains { $0["status"] as? String == "running" }
            }
            #expect(try await client.post("/api/work/\(id)/cancel", [:]).status == 200)
            try await waitFor(within: .seconds(30), "the item to be cancelled") {
                try await item(id, client)["status"] as? String == "cancelled"
            }
            try await waitFor(within: .seconds(30), "the container's stop to be recorded") {
                await !(try loggedEvents(in: service.path, types: ["containerStopped"])).isEmpty
            }
            let events = try await loggedEvents(in: service.path)
            let requested = try #require(events.first { $0["type"] as? String == "cancelRequested" })
            let expired = try #require(events.first { $0["type"] as? String == "cancelGraceExpired" })
            #expect(try milliseconds(from: requested, to: expired) >= 1_000)
            let stopped = try #require(events.first { $0["type"] as? String == "containerStopped" })
            #expect(stopped.payload("found") as? Bool == true)
            #expect((stopped.payload("logTail") as? [String])?.contains("beat") == true)
            #expect(try await client.workers().first?["status"] as? String == "killed")
        }
    }

    /// Given a sample worker that writes a file a second after its completion is answered,
    /// then it is not stopped before it does: the file appears, and when the 3 s end grace
    /// has elapsed its exit by itself (code 0) is recorded, with its last line.
    @Test func aWorkerThatReportedItsEndIsLeftToExit() async throws {
        try await withService(["END_GRACE_SECONDS": "3"]) { client, service, folder in
            let file = folder + "/after-complete"
            let id = try await client.add(repo: "acme/cancel", spec: "iterations=1 interval=0.1 after=\(file) linger=1")
            try await waitFor(within: .seconds(30), "the item to complete") {
                try await item(id, client)["status"] as? String == "completed"
            }
            try await waitFor(within: .seconds(30), "the file written after the completion's answer") {
                FileManager.default.fileExists(atPath: file)
            }
            try await waitFor(within: .seconds(30), "the container's end to be recorded") {
                await !(try loggedEvents(in: service.path, types: ["containerExited", "containerStopped"])).isEmpty
            }
            let events = try await loggedEvents(in: service.path)
            #expect(!events.contains { $0["type"] as? String == "containerStopped" })
            let exited = try #require(events.first { $0["type"] as? String == "containerExited" })
            #expect(exited.payload("exitCode") as? Int == 0)
            #expect((exited.payload("logTail") as? [String])?.last == "wrote \(file)")
            #expect(events.contains { $0["type"] as? String == "endGraceElapsed" })
        }
    }

    /// A cancel of an unknown item is 404, of an ended item 409 with its status; neither
    /// appends anything. A cancel by filter answers the count; a bad filter is a 400.
    @Test func badCancelsChangeNothingAndAFilterAnswersTheCount() async throws {
        try await withService(["MAX_WORKERS": "1", "END_GRACE_SECONDS": "0"]) { client, service, _ in
            let done = try await client.add(repo: "acme/done", spec: "iterations=1 interval=0.05")
            try await waitFor(within: .seconds(30), "the first item to complete") {
                try await item(done, client)["status"] as? String == "completed"
            }
            try await waitFor(within: .seconds(30), "its container's end to be recorded") {
                await !(try loggedEvents(in: service.path, types: ["containerExited", "containerStopped"])).isEmpty
            }
            let before = try await loggedEvents(in: service.path).count
            let unknown = try await client.post("/api/work/no-such-item/cancel", [:])
            #expect(unknown.status == 404 && (unknown.json as? [String: Any])?["code"] as? String == "NOT_FOUND", "\(unknown.text)")
            let ended = try await client.post("/api/work/\(done)/cancel", ["reason": "late"])
            let body = ended.json as? [String: Any]
            #expect(ended.status == 409 && body?["code"] as? String == "WORK_ITEM_ENDED", "\(ended.text)")
            #expect((body?["details"] as? [String: Any])?["status"] as? String == "completed")
            let bad = try await client.post("/api/work/cancel", ["status": "completed"])
            #expect(bad.status == 400, "\(bad.text)")
            #expect(try await client.post("/api/work/cancel", [:]).status == 400)
            #expect(try await client.post("/api/work/\(done)/cancel", ["reason": 7]).status == 400)
            await #expect(try loggedEvents(in: service.path).count == before, "refused cancels appended nothing")

            // With one slot, the next item runs and two wait: the filter cancels all three.
            let ids = [
                try await client.add(repo: "acme/bulk", spec: "iterations=10000 interval=0.1"),
                try await client.add(repo: "acme/bulk", spec: "iterations=10000 interval=0.1"),
                try await client.add(repo: "acme/bulk", spec: "iterations=10000 interval=0.1"),
                try await client.add(repo: "acme/other", spec: "iterations=1 interval=0.1"),
            ]
            try await waitFor(within: .seconds(30), "a bulk item to run") {
                try await item(ids[0], client)["status"] as? String == "in_progress"
            }
            let cancelled = try await client.post("/api/work/cancel", ["repo": "acme/bulk", "reason": "freeze"])
            #expect(cancelled.status == 200, "\(cancelled.text)")
            #expect((cancelled.json as? [String: Any])?["count"] as? Int == 3)
            let again = try await client.post("/api/work/cancel", ["repo": "acme/bulk", "status": ["queued", "in_progress"]])
            #expect((again.json as? [String: Any])?["count"] as? Int == 0, "\(again.text)")
            try await waitFor(within: .seconds(30), "the bulk items to end cancelled") {
                var all = true
                for id in ids.prefix(3) where try await item(id, client)["status"] as? String != "cancelled" { all = false }
                return all
            }
            try await waitFor(within: .seconds(30), "the other item to complete") {
                try await item(ids[3], client)["status"] as? String == "completed"
            }
            let metrics = try await client.get("/api/metrics").json as? [String: Any]
            #expect(metrics?["cancelledToday"] as? Int == 3 && metrics?["completedToday"] as? Int == 2 && metrics?["failedToday"] as? Int == 0)
            let prometheus = try await client.get("/metrics").text
            #expect(prometheus.contains(#"shiftlog_work_items{status="cancelled"} 3"#), "\(prometheus)")
        }
    }

    private func milliseconds(from first: [String: Any], to second: [String: Any]) throws -> Int64 {
        func time(_ event: [String: Any]) throws -> Date {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let text = event["time"] as? String, let date = formatter.date(from: text) else { throw E2EFailure("no time in \(event)") }
            return date
        }
        return Int64((try time(second).timeIntervalSince(try time(first)) * 1_000).rounded())
    }
}
