import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Any page as the log stood after one event (`?at=`), over real HTTP.
@Suite("Console: pages as of the past")
struct ConsoleHistoryTests {
    @Test func aPageAtAPastEventShowsTheStateThenAndStepsThroughEvents() async throws {
        let service = try await RunningService.start()
        let item = try await service.engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Then and now"))
        let added = service.engine.state.lastSequence
        service.clock.advance(seconds: 60)
        _ = try await service.engine.cancel(itemId: item.id, reason: "later")
        let browser = ConsoleBrowser(port: service.port)

        let now = try await browser.get("/items/\(item.id)")
        #expect(now.body.contains(#"<span class="status s-cancelled">cancelled</span></h1>"#))

        let then = try await browser.get("/items/\(item.id)?at=\(added)")
        #expect(then.status == 200)
        #expect(then.body.contains(#"<span class="status s-queued">queued</span></h1>"#))
        #expect(then.body.contains("As of event #\(added)"))
        #expect(!then.body.contains(#"id="cancel-item""#))  // no action in the past
        #expect(!then.body.contains("<td>workItemCancelled</td>"))  // its events stop there too
        #expect(now.body.contains("<td>workItemCancelled</td>"))
        #expect(then.body.contains(#"href="/items?at=\#(added)""#))  // the navigation stays in the past
        #expect(then.body.contains(#"href="/items/\#(item.id)?at=\#(added + 1)""#))  // one event forward
        #expect(then.body.contains(#"href="/items/\#(item.id)?at=now""#))

        let byTime = try await browser.get("/items?status=queued&at=\(RunningService.start.adding(seconds: 30).iso8601)")
        #expect(byTime.body.contains(#"<tr data-item="\#(item.id)""#))
        #expect(byTime.body.contains(#"<input type="hidden" name="at" value="\#(added)">"#))
        let present = try await browser.get("/items?status=queued&at=now")
        #expect(!present.body.contains(#"<tr data-item="\#(item.id)""#))

        let bad = try await browser.get("/workers?at=yesterday")
        #expect(bad.status == 400)
        #expect(bad.body.contains("&#39;at&#39; &#39;yesterday&#39; is neither an event sequence (1234) nor a UTC time"))
        try await browser.shutdown()
        try await service.stop()
    }
}
