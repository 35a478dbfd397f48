import Foundation
import Testing

/// Runs the README's PostgreSQL commands (the second `sh` block of "Investigating an
/// incident") as written, with bash, on the test server: `shiftlog` is the built binary,
/// `./incident` the fixture log imported first, and the block's schema one of the test's own.
@Suite(.enabled(if: !PostgresShell.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct ReadmePostgresTests {
    @Test func thePostgreSQLCommandsRunAsWritten() async throws {
        let database = try PostgresShell()
        defer { Task { [database] in await database.drop() } }
        let readme = try String(contentsOf: ShiftlogBinary.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Investigating an incident").dropFirst().first?
            .components(separatedBy: "\n## ").first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst(2).first?.components(separatedBy: "```").first)
        // The server is the test's (scripts/test started it); every other line runs as written.
        let commands = block.split(separator: "\n").map(String.init).filter { !$0.contains("scripts/postgres-server") }
        #expect(commands.count >= 4)
        #expect(block.contains("schema=incident"))
        let scratch = NSTemporaryDirectory() + "shiftlog-readme-pg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let imported = try await ShiftlogBinary.run(["import", InspectCommandTests.demoLog, "--path", scratch + "/incident"])
        try #require(imported.status == 0, "\(imported.output)")
        let script = """
            set -euo pipefail
            cd '\(scratch)'
            shiftlog() { '\(ShiftlogBinary.path)' "$@"; }
            export SHIFTLOG_POSTGRES_URL='\(database.server)'
            \(commands.joined(separator: "\n").replacingOccurrences(of: "schema=incident", with: "schema=\(database.schema)"))
            """
        // Both streams in one, in the order they were written, as a terminal shows them.
        let ending = try await ChildRun.ending("/bin/bash", ["-c", "exec 2>&1\n" + script])
        let output = ending.output
        #expect(ending.status == 0 && !ending.signalled, "\(output)")
        #expect(output.hasSuffix("same\n"), "\(output)")
        #expect(output.contains("verified: 34 events"), "\(output)")
    }
}
