import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// The what-if form, over real HTTP.
@Suite("Console: what if")
struct ConsoleWhatIfTests {
    @Test func aLongerStaleThresholdWouldHaveSparedTheKilledWorker() async throws {
        let service = try await RunningService.start()
        let (_, worker) = try await service.spawnWorker()
        _ = try await service.engine.heartbeat(workerId: worker, Heartbeat(iteration: 1))
        service.clock.advance(seconds: 400)  // past the stale threshold of 300 s
        let killed = try await service.engine.killStale()
        #expect(killed.map(\.id) == [worker])
        let browser = ConsoleBrowser(port: service.port)

        let form = try await browser.get("/what-if")
        #expect(form.status == 200)
        #expect(form.body.contains(#"name="STALE_THRESHOLD""#))
        #expect(!form.body.contains(#"id="what-if-report""#))

        let spared = try await browser.get("/what-if?STALE_THRESHOLD=900")
        #expect(spared.status == 200)
        #expect(spared.body.contains("Kills that would not have happened: 1"))
        #expect(spared.body.contains(worker))

        let same = try await browser.get("/what-if?STALE_THRESHOLD=300")
        #expect(same.body.contains("Kills that would not have happened: 0"))

        let bad = try await browser.get("/what-if?STALE_THRESHOLD=0")
        #expect(bad.status == 400)
        #expect(bad.body.contains("STALE_THRESHOLD 0 is out of range: use 1 to 604800"), "\(bad.body)")
        try await browser.shutdown()
        try await service.stop()
    }
}
