import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// The items page's filters, orders and pages, over real HTTP.
@Suite("Console: the items list")
struct ConsoleItemsListTests {
    @Test func filtersSortsAndPages() async throws {
        let service = try await RunningService.start()
        let priorities: [Priority] = [.low, .medium, .high, .critical]
        var ids: [WorkItemID] = []
        for index in 0..<120 {
            service.clock.advance(seconds: 1)
            let spec = index % 10 == 0 ? "Fix the LOGIN form \(index)" : "Write page \(index)"
            let item = try await service.engine.queue.add(
                NewWorkItem(repo: index % 2 == 0 ? "acme/web" : "acme/api", spec: spec, priority: priorities[index % 4]))
            ids.append(item.id)
        }
        let browser = ConsoleBrowser(port: service.port)
        func rows(_ path: String) async throws -> [String] {
            let page = try await browser.get(path)
            #expect(page.status == 200, "\(path)")
            return page.body.components(separatedBy: #"<tr data-item=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        #expect(try await rows("/items") == Array(ids.reversed().prefix(50)))
        #expect(try await rows("/items?page=3") == Array(ids.reversed().suffix(20)))
        #expect(try await rows("/items?sort=oldest&page=2") == Array(ids[50..<100]))
        #expect(try await rows("/items?repo=acme/api&sort=oldest") == ids.enumerated().filter { $0.offset % 2 == 1 }.prefix(50).map(\.element))
        let critical = ids.enumerated().filter { $0.offset % 4 == 3 }.map(\.element)
        #expect(try await rows("/items?sort=priority").prefix(30) == critical.prefix(30))
        #expect(try await rows("/items?q=login&sort=oldest") == ids.enumerated().filter { $0.offset % 10 == 0 }.map(\.element))
        #expect(try await rows("/items?q=LoGiN&priority=low&sort=oldest") == ids.enumerated().filter { $0.offset % 20 == 0 }.map(\.element))
        #expect(try await rows("/items?status=completed").isEmpty)
        let counted = try await browser.get("/items?repo=acme/web")
        #expect(counted.body.contains(#"<span data-matched="60">60</span> of 120 items match repo acme/web. Page 1 of 2."#))
        try await browser.shutdown()
        try await service.stop()
    }
}
