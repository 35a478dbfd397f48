import AsyncHTTPClient
import Foundation
import ShiftlogCore
import ShiftlogPostgres
import ShiftlogStore
import Testing

/// `shiftlog serve` on PostgreSQL while the database goes away and comes back (issue 13): writes
/// answer 503 `STORAGE_UNAVAILABLE` meanwhile, reads still answer from the instance's own state,
/// nothing acknowledged is lost, and the instance rejoins by itself. The server is a private
/// one (`scripts/postgres-server`), stopped and started again on its port, so that no other
/// test loses its database.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_POSTGRES"] != "1", "SHIFTLOG_SKIP_POSTGRES=1"))
struct DatabaseOutageTests {
    @Test func writesAnswer503WhileTheDatabaseIsDownAndTheInstanceRejoins() async throws {
        try await PrivatePostgres.with(schema: "outage") { postgres in
            let folder = NSTemporaryDirectory() + "shiftlog-outage-\(UUID().uuidString)"
            defer {
                try? FileManager.default.removeItem(atPath: folder)
            }
            let url = postgres.url
            let service = try await RunningService.start(
                path: folder, arguments: ["--runtime", "process", "--store", url],
                environment: ["PORT": "0", "LOOP_INTERVAL_MS": "3600000", "WORKER_COMMAND": "exec sleep 60"])
            defer { service.forceCleanUp() }
            try await ServiceClient.withHTTPClient { http in
                let client = ServiceClient(http: http, baseURL: service.url, apiKey: nil)
                let before = try await client.post("/api/work", ["repo": "acme/web", "spec": "before the outage"])
                #expect(before.status == 201)

                try await postgres.pause()
                let during = try await client.post("/api/work", ["repo": "acme/web", "spec": "during the outage"])
                #expect(during.status == 503)
                #expect(during.code == "STORAGE_UNAVAILABLE")
                let status = try await client.get("/api/status")
                #expect(status.status == 200, "reads answer from the instance's own state: \(status.text)")
                let queue = try await client.get("/api/queue?status=all")
                #expect(queue.text.contains("before the outage"))

                try await postgres.resume()
                // The instance reconnects by itself: the next write that reaches it succeeds.
                var after: ServiceClient.Answer?
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline {
                    after = try await client.post("/api/work", ["repo": "acme/web", "spec": "after the outage"])
                    if after?.status == 201 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(after?.status == 201, "\(after?.text ?? "")")
            }
            // Nothing acknowledged is lost, nothing refused was stored, the log has no gap.
            let log = try PostgresEventLog(url: url, options: .init(readOnly: true))
            defer { log.close() }
            let events = try log.read(after: 0, limit: 10_000)
            #expect(events.map(\.sequence) == Array(1...UInt64(events.count)))
            let specs = events.compactMap { event -> String? in
                if case .workItemAdded(let added) = event.event { added.spec } else { nil }
            }
            #expect(specs == ["before the outage", "after the outage"])
        }
    }
}
