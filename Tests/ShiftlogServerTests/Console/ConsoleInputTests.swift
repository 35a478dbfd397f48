import Foundation
import NIOHTTP1
import ShiftlogInspect
import ShiftlogStore
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// Bad input to the console's pages and forms, over real HTTP: a clear message with a 4xx,
/// never a 500, and nothing appended to the log.
@Suite("Console: bad input")
struct ConsoleInputTests {
    @Test func everyBadQueryParameterIsAClearRefusal() async throws {
        let service = try await RunningService.start()
        let browser = ConsoleBrowser(port: service.port)
        _ = try await service.spawnWorker()
        let cases: [(String, Int, String)] = [
            ("/items?status=bogus", 400, "Unknown status &#39;bogus&#39;: use all or one of generating, queued"),
            ("/items?priority=urgent", 400, "Unknown priority &#39;urgent&#39;"),
            ("/items?type=feature", 400, "Unknown type &#39;feature&#39;"),
            ("/items?sort=random", 400, "Unknown sort &#39;random&#39;: use newest, oldest, priority, updated"),
            ("/items?page=0", 400, "The page &#39;0&#39; is not a whole number from 1 to 100000"),
            ("/items?page=abc", 400, "The page &#39;abc&#39; is not a whole number"),
            ("/items?page=99999999999999999999", 400, "is not a whole number"),
            ("/items?page=7", 400, "Page 7 is past the last page (1)"),
            ("/items?q=" + String(repeating: "x", count: 201), 400, "longer than 200 characters"),
            ("/items/item-404", 404, "No work item &#39;item-404&#39;"),
            ("/events?type=nonsense", 400, "Unknown event type &#39;nonsense&#39;"),
            ("/events?before=abc", 400, "&#39;before&#39; &#39;abc&#39; is not an event sequence"),
            ("/events?before=0", 400, "is not an event sequence"),
            ("/events/abc", 400, "&#39;abc&#39; is not an event sequence"),
            ("/events/0", 400, "is not an event sequence"),
            ("/events/999999", 404, "No event #999999 in this log"),
            ("/items/cancel?priority=high", 400, "takes a filter of status"),
            ("/items/cancel?status=completed", 400, "takes a filter of status"),
        ]
        for (path, status, message) in cases {
            let page = try await browser.get(path)
            #expect(page.status == status, "\(path): \(page.status)")
            #expect(page.body.contains(message), "\(path): \(page.body)")
            #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        }
        try await browser.shutdown()
        try await service.stop()
    }

    @Test func aFormWithoutItsSessionOrTokenChangesNothing() async throws {
        let service = try await RunningService.start()
        let (item, worker) = try await service.spawnWorker()
        let before = service.engine.state.lastSequence
        let stranger = ConsoleBrowser(port: service.port)
        let noSession = try await stranger.post("/items/\(item)/cancel", [("csrf", "guess")])
        #expect(noSession.status == 403)
        #expect(noSession.body.contains("This form has expired or did not come from this console"))

        let browser = ConsoleBrowser(port: service.port)
        let page = try await browser.get("/workers")
        #expect(page.status == 200)
        #expect(page.csrf != nil)
        for (path, fields) in [
            ("/workers/\(worker)/kill", [("csrf", "wrong"), ("reason", "x")]),
            ("/items/\(item)/cancel", [("reason", "no token")]),
            ("/items", [("csrf", "wrong"), ("repo", "acme/web"), ("spec", "x")]),
        ] {
            let answer = try await browser.post(path, fields)
            #expect(answer.status == 403, "\(path)")
        }
        #expect(service.engine.state.lastSequence == before)
        try await browser.shutdown()
        try await stranger.shutdown()
        try await service.stop()
    }

    @Test func aBadItemFormSaysWhichFieldAndQueuesNothing() async throws {
        let service = try await RunningService.start()
        let browser = ConsoleBrowser(port: service.port)
        let csrf = try #require(try await browser.get("/items").csrf)
        let before = service.engine.state.lastSequence
        let cases: [([(String, String)], Int, String)] = [
            ([("repo", "acme"), ("spec", "x")], 400, "&#39;repo&#39; must look like owner/name"),
            ([("repo", "acme/web")], 400, "give exactly one of &#39;spec&#39; and &#39;description&#39;"),
            ([("repo", "acme/web"), ("spec", "x"), ("priority", "urgent")], 400, "&#39;priority&#39; must be one of"),
            ([("repo", "acme/web"), ("spec", "x"), ("maxIterations", "lots")], 400, "maxIterations"),
            ([("repo", "acme/web"), ("spec", "x"), ("maxIterations", "500")], 400, "maxIterations"),
            ([("repo", "acme/web"), ("spec", "x"), ("branch", "-x")], 400, "&#39;branch&#39; must start with"),
            ([("repo", "acme/web"), ("spec", "x"), ("idempotencyKey", "has space")], 400, "Idempotency-Key"),
        ]
        for (fields, status, message) in cases {
            let answer = try await browser.post("/items", [("csrf", csrf)] + fields)
            #expect(answer.status == status, "\(fields)")
            #expect(answer.body.contains(message), "\(fields): \(answer.body)")
        }
        let malformed = try await browser.send(.POST, "/items", body: "csrf=\(csrf)&repo=%zz")
        #expect(malformed.status == 400)
        #expect(malformed.body.contains("malformed %-escape"))
        #expect(service.engine.state.lastSequence == before)
        try await browser.shutdown()
        try await service.stop()
    }
}

extension ConsoleInputTests {
    @Test func bytesThatAreNotUTF8AreRefused() async throws {
        let service = try await RunningService.start()
        let browser = ConsoleBrowser(port: service.port)
        let page = try await browser.get("/items?q=%FF%FE")
        #expect(page.status == 400)
        #expect(page.body.contains("not UTF-8"))
        try await browser.shutdown()
        try await service.stop()
    }
}
