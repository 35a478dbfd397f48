import Foundation
import Testing

/// Runs the README's "Investigating an incident" commands as written (in a scratch folder),
/// so the walkthrough cannot rot.
@Suite struct ReadmeWalkthroughTests {
    @Test func everyWalkthroughCommandRuns() async throws {
        let readme = try String(contentsOf: ShiftlogBinary.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Investigating an incident").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map { $0.components(separatedBy: " #").first!.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("shiftlog ") }
        #expect(commands.count >= 8)

        let scratch = NSTemporaryDirectory() + "shiftlog-walkthrough-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for command in commands {
            let arguments = command.split(separator: " ").dropFirst().map { word -> String in
                let word = String(word)
                if word.hasPrefix("Fixtures/") { return ShiftlogBinary.root.appendingPathComponent(word).path }
                if word.hasPrefix("./") || word.hasSuffix(".jsonl") { return scratch + "/" + word.replacingOccurrences(of: "./", with: "") }
                return word
            }
            let (status, output) = try await ShiftlogBinary.run(arguments)
            #expect(status == 0, "`\(command)` exited \(status): \(output)")
        }
        #expect(FileManager.default.fileExists(atPath: scratch + "/item-3.jsonl"))
    }
}
