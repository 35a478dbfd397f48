import Foundation
import NIOHTTP1
import ShiftlogInspect
import ShiftlogStore
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// Signing in to the console when `API_KEY` is set.
@Suite("Console: sign-in")
struct ConsoleSignInTests {
    @Test func theKeyOpensASessionAndAWrongOneIsRefusedAndRecorded() async throws {
        let key = "s3cret-console-key"
        let service = try await RunningService.start(apiKey: key)
        let browser = ConsoleBrowser(port: service.port)

        let closed = try await browser.get("/items?status=queued")
        #expect(closed.status == 303)
        #expect(closed.location == "/sign-in?next=/items%3Fstatus%3Dqueued")
        #expect(browser.cookie == nil)

        let wrong = try await browser.post("/sign-in", [("key", "guess"), ("next", "/items")])
        #expect(wrong.status == 401)
        #expect(wrong.body.contains("That is not this service&#39;s API key."))
        #expect(!wrong.body.contains("guess"))
        #expect(browser.cookie == nil)
        let refusals = try service.engine.log.read(after: 0, limit: 100).filter { $0.type == .accessRefused }
        #expect(refusals.count == 1)
        #expect(refusals.first?.event.summary == "POST /sign-in: invalid credential")

        let right = try await browser.post("/sign-in", [("key", key), ("next", "/items")])
        #expect(right.status == 303)
        #expect(right.location == "/items")
        let cookie = try #require(right.headers.first(name: "Set-Cookie"))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(cookie.contains("Max-Age=43200"))
        #expect(!cookie.contains(key))
        let page = try await browser.get("/items")
        #expect(page.status == 200)
        #expect(!page.body.contains(key))
        #expect(page.body.contains("Sign out"))

        // The session reads the management API (the event stream's route), but writes need the key.
        #expect(try await browser.get("/api/status").status == 200)
        #expect(try await browser.send(.POST, "/api/work", body: #"{"repo":"acme/web","spec":"x"}"#).status == 401)
        // An address elsewhere is never where signing in leads.
        let elsewhere = try await browser.post("/sign-in", [("key", key), ("next", "//evil.example/")])
        #expect(elsewhere.location == "/")

        let out = try await browser.post("/sign-out", [("csrf", try #require(page.csrf))])
        #expect(out.status == 303)
        #expect(try await browser.get("/").status == 303)

        let export = try service.engine.log.read(after: 0, limit: 1_000).map(\.event.summary).joined(separator: "\n")
        #expect(!export.contains(key))
        try await browser.shutdown()
        try await service.stop()
    }
}
