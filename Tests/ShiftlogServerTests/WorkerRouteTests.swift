import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// The worker routes over real HTTP: every success, validation failure and refusal, with the
/// bodies compared against `Fixtures/HTTP/routes.worker-routes.txt`.
@Suite("Worker routes")
struct WorkerRouteTests {
    @Test func everyWorkerRouteAndItsFailures() async throws {
        let service = try await RunningService.start()
        let (item1, w1) = try await service.spawnWorker()
        let (_, w2) = try await service.spawnWorker(spec: "Second task")
        var t = Transcript(service)

        try await t.exchange("heartbeat through the worker's URL", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":1,"status":"running","tokensIn":120,"tokensOut":40}"#, as: .worker(w1), expect: 200)
        try await t.exchange("heartbeat with the credential as a bearer token", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":2}"#, as: .bearer(w1), expect: 200)
        try await t.exchange("heartbeat without a credential", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":3}"#, expect: 401)
        try await t.exchange("heartbeat with another worker's credential", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":3}"#, as: .bearer(w2), expect: 403)
        try await t.exchange("heartbeat through another worker's URL", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":3}"#, as: .worker(w2), expect: 403)
        let forged = service.credentials.credential(for: w1).dropLast(2) + "xx"
        try await t.exchange("heartbeat with a forged credential", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":3}"#, headers: [("Authorization", "Bearer \(forged)")], expect: 401)
        try await t.exchange("heartbeat without iteration", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"status":"running"}"#, as: .worker(w1), expect: 400)
        try await t.exchange("heartbeat with iteration as text", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":"3"}"#, as: .worker(w1), expect: 400)
        try await t.exchange("heartbeat with a negative iteration", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":-1}"#, as: .worker(w1), expect: 400)
        try await t.exchange("heartbeat with iteration at Int64.max", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":9223372036854775807}"#, as: .worker(w1), expect: 400)
        try await t.exchange("heartbeat with iteration past Int64", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":1e300}"#, as: .worker(w1), expect: 400)
        try await t.exchange("heartbeat with a fractional iteration", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":1.5}"#, as: .worker(w1), expect: 400)
        try await t.exchange("heartbeat with tokens out of range", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":3,"tokensIn":-5}"#, as: .worker(w1), expect: 400)
        try await t.exchange("malformed JSON", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":"#, as: .worker(w1), expect: 400)
        try await t.exchange("a JSON array instead of an object", .POST, "/api/worker/\(w1)/heartbeat",
            body: "[1,2]", as: .worker(w1), expect: 400)
        try await t.exchange("a body over 1 MB", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":3,"status":""# + String(repeating: "x", count: 1 << 20) + #""}"#, as: .worker(w1), expect: 413)

        try await t.exchange("lock two files", .POST, "/api/worker/\(w1)/lock",
            body: #"{"repo":"acme/web","files":["src/login.ts","./src/form.ts"]}"#, as: .worker(w1), expect: 200)
        try await t.exchange("lock a file another worker holds", .POST, "/api/worker/\(w2)/lock",
            body: #"{"repo":"acme/web","files":["src/login.ts","src/other.ts"]}"#, as: .worker(w2), expect: 200)
        try await t.exchange("lock without files", .POST, "/api/worker/\(w1)/lock",
            body: #"{"repo":"acme/web"}"#, as: .worker(w1), expect: 400)
        try await t.exchange("lock with a file that is not a string", .POST, "/api/worker/\(w1)/lock",
            body: #"{"repo":"acme/web","files":["a.ts",7]}"#, as: .worker(w1), expect: 400)
        try await t.exchange("lock with an empty repo", .POST, "/api/worker/\(w1)/lock",
            body: #"{"repo":"","files":[]}"#, as: .worker(w1), expect: 400)
        try await t.exchange("unlock one file", .POST, "/api/worker/\(w1)/unlock",
            body: #"{"repo":"acme/web","files":["src/form.ts"]}"#, as: .worker(w1), expect: 200)

        try await t.exchange("learnings, as a worker calls them at start", .GET, "/api/learnings?repo=acme/web",
            as: .worker(w1), expect: 200)
        try await t.exchange("register for an item with an active worker", .POST, "/api/worker/register",
            body: #"{"workItemId":"\#(item1)"}"#, as: .worker(w1), expect: 201)
        try await t.exchange("register with the credential of another item's worker", .POST, "/api/worker/register",
            body: #"{"workItemId":"\#(item1)"}"#, as: .worker(w2), expect: 403)
        try await t.exchange("register for an unknown item", .POST, "/api/worker/register",
            body: #"{"workItemId":"item-99"}"#, expect: 404)
        try await t.exchange("register without workItemId", .POST, "/api/worker/register", body: "{}", expect: 400)

        try await t.exchange("complete with a metric out of range", .POST, "/api/worker/\(w1)/complete",
            body: #"{"prNumber":12,"metrics":{"tokensIn":-1}}"#, as: .worker(w1), expect: 400)
        try await t.exchange("complete with a learning without content", .POST, "/api/worker/\(w1)/complete",
            body: #"{"learnings":[{"spec":"x"}]}"#, as: .worker(w1), expect: 400)
        try await t.exchange("complete with a PR and verification", .POST, "/api/worker/\(w1)/complete",
            body: #"{"prUrl":"https://github.com/acme/web/pull/12","prNumber":12,"verificationEnabled":true,"review":{"modelUsed":"m1","findings":{"issues":0}},"metrics":{"tokensIn":500,"tokensOut":200,"duration":60000,"filesModified":2,"testsRun":10,"testsPassed":10,"testsFailed":0},"learnings":[{"content":"Run the linter first","spec":"Fix the login form"}]}"#,
            as: .worker(w1), expect: 200)
        try await t.exchange("heartbeat after completing", .POST, "/api/worker/\(w1)/heartbeat",
            body: #"{"iteration":4}"#, as: .worker(w1), expect: 409)
        try await t.exchange("a worker no one spawned", .POST, "/api/worker/ghost/complete",
            body: "{}", as: .worker("ghost"), expect: 404)

        try await t.exchange("fail without error", .POST, "/api/worker/\(w2)/fail",
            body: #"{"iteration":1}"#, as: .worker(w2), expect: 400)
        try await t.exchange("stuck without attempts", .POST, "/api/worker/\(w2)/stuck",
            body: #"{"reason":"loop"}"#, as: .worker(w2), expect: 400)
        try await t.exchange("fail", .POST, "/api/worker/\(w2)/fail",
            body: #"{"error":"tests do not pass","iteration":1,"category":"EXECUTION_ERROR","stack":"at line 3","context":{"step":"test"}}"#,
            as: .worker(w2), expect: 200)
        try await t.exchange("stuck after failing", .POST, "/api/worker/\(w2)/stuck",
            body: #"{"reason":"loop","attempts":3}"#, as: .worker(w2), expect: 409)
        t.verify(named: "worker-routes")

        // Each refusal is in the log, naming who tried what; no refused request changed anything else.
        let refusals = try service.engine.log.read(after: 0, limit: 10_000).compactMap { record -> AccessRefused? in
            if case .accessRefused(let refusal) = record.event { refusal } else { nil }
        }
        #expect(refusals.map(\.reason) == [
            "missing credential", "another worker's credential", "another worker's credential", "invalid credential",
            "a credential not of the active worker of item 'item-1'",
        ])
        #expect(refusals.allSatisfy { $0.targetWorkerId == w1 })
        #expect(refusals[1].presentedWorkerId == w2)
        let worker = try #require(service.engine.state.workers[w1])
        #expect(worker.status == .completed && worker.iteration == 2)
        try await service.stop()
    }

    @Test func theLogNeverHoldsACredential() async throws {
        let service = try await RunningService.start()
        let (_, w1) = try await service.spawnWorker()
        let credential = service.credentials.credential(for: w1)
        // The container got its URL with the credential…
        let container = try #require(service.runtime.containers[w1])
        #expect(container.spec.environment["ORCHESTRATOR_URL"]?.hasSuffix("/w/" + credential) == true)
        _ = try await service.send(.POST, "/api/worker/\(w1)/heartbeat", body: #"{"iteration":1}"#, base: service.workerURL(w1))
        try await service.stop(keepingFolder: true)
        defer { try? FileManager.default.removeItem(atPath: service.folder) }
        // …but no byte of the credential's MAC is in the log file.
        let data = try Data(contentsOf: URL(fileURLWithPath: service.folder + "/data.mdb"))
        let mac = Data(credential.split(separator: ".").last!.utf8)
        #expect(data.range(of: mac) == nil)
    }
}
