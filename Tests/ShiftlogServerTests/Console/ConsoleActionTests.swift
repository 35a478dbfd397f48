import Foundation
import NIOHTTP1
import ShiftlogInspect
import ShiftlogStore
@testable import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// The console's actions over real HTTP: each form changes the log as its API route would.
@Suite("Console: actions")
struct ConsoleActionTests {
    @Test func addingAnItemTwiceWithOneFormQueuesItOnce() async throws {
        let service = try await RunningService.start()
        let browser = ConsoleBrowser(port: service.port)
        let page = try await browser.get("/items")
        let csrf = try #require(page.csrf)
        let range = try #require(page.body.range(of: #"name="idempotencyKey" value="([^"]+)""#, options: .regularExpression))
        let key = page.body[range].split(separator: "\"")[3].description
        let form = [("csrf", csrf), ("idempotencyKey", key), ("repo", "acme/web"), ("spec", "Fix the login form"), ("priority", "high")]
        let first = try await browser.post("/items", form)
        #expect(first.status == 303)
        #expect(first.location == "/items/item-1")
        let again = try await browser.post("/items", form)
        #expect(again.location == "/items/item-1")
        #expect(service.engine.state.workItems.count == 1)
        #expect(service.engine.state.workItems["item-1"]?.priority == .high)
        let shown = try await browser.get("/items/item-1")
        #expect(shown.body.contains("Queued item-1."))
        try await browser.shutdown()
        try await service.stop()
    }

    @Test func cancelKillAndBulkCancelChangeTheLog() async throws {
        let service = try await RunningService.start()
        let (running, worker) = try await service.spawnWorker()
        for index in 0..<3 { _ = try await service.engine.queue.add(NewWorkItem(repo: "acme/api", spec: "Task \(index)")) }
        let lone = try await service.engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Lone"))
        let browser = ConsoleBrowser(port: service.port)
        let csrf = try #require(try await browser.get("/items").csrf)

        let cancelled = try await browser.post("/items/\(lone.id)/cancel", [("csrf", csrf), ("reason", "not needed")])
        #expect(cancelled.status == 303)
        #expect(service.engine.state.workItems[lone.id]?.status == .cancelled)

        let confirmation = try await browser.get("/items/cancel?repo=acme/api")
        #expect(confirmation.status == 200)
        #expect(confirmation.body.contains("Cancel 3 items?"))
        let bulk = try await browser.post("/items/cancel", [("csrf", csrf), ("repo", "acme/api"), ("reason", "bulk")])
        #expect(bulk.status == 303)
        let after = try await browser.get(try #require(bulk.location))
        #expect(after.body.contains("Cancelled 3 items matching repo acme/api."))
        #expect(service.engine.state.workItems.values.filter { $0.repo == "acme/api" }.allSatisfy { $0.status == .cancelled })

        let killed = try await browser.post("/workers/\(worker)/kill", [("csrf", csrf), ("reason", "operator stop")])
        #expect(killed.status == 303)
        #expect(service.engine.state.workers[worker]?.status == .killed)
        #expect(service.engine.state.workers[worker]?.error?.contains("operator stop") == true)
        let again = try await browser.post("/workers/\(worker)/kill", [("csrf", csrf)])
        #expect(again.status == 409)
        #expect(again.body.contains("not active"))
        _ = running
        try await browser.shutdown()
        try await service.stop()
    }

    /// Issue 18's controls through the item page: a failed item is run again now, a queued
    /// one's priority changed; each is the event its route records, naming the console.
    @Test func runAgainNowAndPriorityChangeTheLog() async throws {
        let service = try await RunningService.start()
        let failed = try await service.engine.queue.add(NewWorkItem(
            repo: "acme/web", spec: "Once", policy: WorkItemPolicy(retry: RetryPolicy(maxRetries: 0))))
        let worker = try await service.engine.spawn(workItemId: failed.id)
        try await service.engine.fail(workerId: worker.id, error: "boom", iteration: 1)
        let waiting = try await service.engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Later", priority: .low))
        try await service.engine.settle()
        let browser = ConsoleBrowser(port: service.port)

        let failedPage = try await browser.get("/items/\(failed.id)")
        #expect(failedPage.body.contains("Run again now") && !failedPage.body.contains("Change priority"))
        let csrf = try #require(failedPage.csrf)
        let retried = try await browser.post("/items/\(failed.id)/retry", [("csrf", csrf)])
        #expect(retried.status == 303)
        #expect(service.engine.state.workItems[failed.id]?.status == .queued)
        #expect(try await browser.get(try #require(retried.location)).body.contains("Queued \(failed.id) to run again now."))

        let waitingPage = try await browser.get("/items/\(waiting.id)")
        #expect(waitingPage.body.contains("Change priority") && !waitingPage.body.contains("Run again now"))
        let changed = try await browser.post("/items/\(waiting.id)/priority", [("csrf", csrf), ("priority", "critical")])
        #expect(changed.status == 303)
        #expect(service.engine.state.workItems[waiting.id]?.priority == .critical)
        let events = try service.engine.log.read(after: 0, limit: 1_000).map(\.event)
        #expect(events.contains(.workItemRetriedNow(.init(workItemId: failed.id, previousStatus: .failed, requestedBy: "console"))))
        #expect(events.contains(.workItemPriorityChanged(.init(
            workItemId: waiting.id, priority: .critical, previousPriority: .low, requestedBy: "console"))))

        // Refused as the routes refuse, appending nothing: a bad priority, a running item's retry.
        let before = service.engine.state.lastSequence
        #expect(try await browser.post("/items/\(waiting.id)/priority", [("csrf", csrf), ("priority", "urgent")]).status == 400)
        let (running, _) = try await service.spawnWorker()
        let refused = try await browser.post("/items/\(running)/retry", [("csrf", csrf)])
        #expect(refused.status == 400 && refused.body.contains("in_progress"), "\(refused.body)")
        #expect(service.engine.state.lastSequence == before + 3, "only the spawn's events")
        try await browser.shutdown()
        try await service.stop()
    }

    @Test func htmlInASpecRepoOrErrorIsShownAsText() async throws {
        let service = try await RunningService.start()
        let script = "<script>alert(\"x\")</script>"
        // The HTTP route refuses such a repo; a log written otherwise (an import, a library user) may hold one.
        let item = try await service.engine.queue.add(NewWorkItem(repo: "acme/\(script)", spec: "Spec \(script)"))
        let worker = try await service.engine.spawn(workItemId: item.id)
        try await service.engine.fail(workerId: worker.id, error: "Error \(script)", iteration: 1)
        try await service.engine.settle()
        let browser = ConsoleBrowser(port: service.port)
        for path in ["/", "/workers", "/items", "/items?q=script", "/items/\(item.id)", "/events", "/events/2"] {
            let page = try await browser.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(!page.body.contains("<script>alert"), "\(path)")
        }
        let itemPage = try await browser.get("/items/\(item.id)")
        #expect(itemPage.body.contains("Spec &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(itemPage.body.contains("Error &lt;script&gt;"))
        try await browser.shutdown()
        try await service.stop()
    }
}
