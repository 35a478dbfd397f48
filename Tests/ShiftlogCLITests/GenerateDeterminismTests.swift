import Foundation
import Testing

/// `shiftlog generate --seed N` writes the same log in any process (Swift seeds hashing per
/// process, so nothing may depend on a hashed collection's order), with completions that
/// carry metrics, learnings and reviews.
@Suite struct GenerateDeterminismTests {
    @Test func theSameSeedGivesTheSameLogInTwoProcesses() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-generate-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var exports: [String] = []
        for run in ["a", "b"] {
            let generated = try await ShiftlogBinary.run([
                "generate", "--path", "\(folder)/\(run)", "--events", "6000", "--seed", "7", "--snapshot-interval", "2500",
            ])
            #expect(generated.status == 0, "\(generated.output)")
            let exported = try await ShiftlogBinary.run(["export", "--path", "\(folder)/\(run)"])
            #expect(exported.status == 0)
            exports.append(exported.output)
        }
        #expect(exports[0].utf8.count > 100_000)
        #expect(exports[0] == exports[1], "two runs with --seed 7 differ")
        let completions = exports[0].split(separator: "\n").filter { $0.contains("\"type\":\"workerCompleted\"") }
        #expect(!completions.isEmpty)
        #expect(completions.allSatisfy { $0.contains("\"metrics\":{") })
        #expect(completions.contains { $0.contains("\"learnings\":[{") })
        #expect(completions.contains { $0.contains("\"review\":{") })
        let replayed = try await ShiftlogBinary.run(["verify", "--path", "\(folder)/a"])
        #expect(replayed.status == 0, "\(replayed.output)")
    }
}
