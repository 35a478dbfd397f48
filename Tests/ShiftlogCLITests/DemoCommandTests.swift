import Foundation
import Testing

/// Runs the built `shiftlog` binary, as a user would.
@Suite struct DemoCommandTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ShiftlogBinary.run(arguments)
    }

    @Test func theDemoWritesALogAndTellsTheStory() throws {
        let folder = NSTemporaryDirectory() + "shiftlog-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try run(["demo", "--path", folder])
        #expect(status == 0, "\(output)")
        #expect(output.contains("workerKilled           worker-3: heartbeat timeout"))
        #expect(output.contains("workItemRetryScheduled item-2 retry 1 at 2026-03-01T09:02:30.000Z"))
        #expect(output.contains("events:      34 in \(folder)/data.mdb"))
        #expect(FileManager.default.fileExists(atPath: folder + "/data.mdb"))
        // A second run on the same folder is refused, not appended to.
        let again = try run(["demo", "--path", folder])
        #expect(again.status == 64)
        #expect(again.output.contains("already holds a log; pass --fresh"))
    }

    @Test func helpTeaches() throws {
        let (status, output) = try run(["demo", "--help"])
        #expect(status == 0)
        #expect(output.contains("--fresh"))
        #expect(output.contains("mdb_stat"))
    }
}
