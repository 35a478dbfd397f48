import Foundation
import NIOHTTP1
import ShiftlogInspect
import ShiftlogStore
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// The item page's picture, over real HTTP, for a story told on the engine's manual clock.
@Suite("Console: an item's picture")
struct ConsoleItemPictureTests {
    @Test func oneBarPerAttemptWithItsHeartbeatsGapKillBackoffAndCancel() async throws {
        let service = try await RunningService.start()
        let engine = service.engine
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "A long story"))
        let first = try await engine.spawn(workItemId: item.id)
        _ = try await engine.heartbeat(workerId: first.id, Heartbeat(iteration: 1))
        service.clock.advance(seconds: 30)
        _ = try await engine.heartbeat(workerId: first.id, Heartbeat(iteration: 2))
        service.clock.advance(seconds: 400)  // past the stale threshold of 300 s
        _ = try await engine.heartbeat(workerId: first.id, Heartbeat(iteration: 3))
        try await engine.kill(workerId: first.id, reason: "operator stop")
        service.clock.advance(seconds: 61)  // the first retry's backoff, 60 s
        let second = try await engine.spawn(workItemId: item.id)
        _ = try await engine.heartbeat(workerId: second.id, Heartbeat(iteration: 1))
        _ = try await engine.cancel(itemId: item.id, reason: "enough")
        try await engine.settle()

        let browser = ConsoleBrowser(port: service.port)
        let page = try await browser.get("/items/\(item.id)")
        #expect(page.status == 200)
        func count(_ text: String) -> Int { page.body.components(separatedBy: text).count - 1 }
        #expect(page.body.contains(#"data-attempts="2""#))
        #expect(count(#"<rect class="attempt "#) == 2)
        #expect(page.body.contains(#"<rect class="attempt killed" data-worker="\#(first.id)""#))
        #expect(count(#"class="mark heartbeat""#) == 4)
        #expect(count(#"class="mark stale-gap""#) == 1)
        #expect(count(#"class="mark kill""#) == 1)
        #expect(count(#"class="mark backoff""#) == 1)
        #expect(count(#"class="mark cancel""#) == 1)
        #expect(page.body.contains("\(first.id) was killed at #"))

        // The page tells the timeline the state at the end of the log rather than having it
        // fold the log again: the same story either way.
        let folded = try Timeline.build(of: item.id, in: engine.log)
        let given = try Timeline.build(of: item.id, in: engine.log, endState: engine.state)
        #expect(given.verdict == folded.verdict)
        #expect(given.entries.map(\.summary) == folded.entries.map(\.summary))
        #expect(given.entries.map(\.notes) == folded.entries.map(\.notes))
        try await browser.shutdown()
        try await service.stop()
    }
}
