import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import SnapshotTesting
import Testing

/// Runs every `Fixtures/Scenarios/*.scenario` and compares what happened with the golden
/// `*.expected.json` beside it. Re-record with `SNAPSHOT_TESTING_RECORD=all swift test`.
@Suite("Scenarios")
struct ScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Scenarios")

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".scenario") }
        .map { String($0.dropLast(".scenario".count)) }
        .sorted()

    @Test(arguments: names)
    func scenario(_ name: String) async throws {
        let path = Self.directory.appendingPathComponent("\(name).scenario").path
        let script = try ScenarioScript.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        let runner = try ScenarioRunner(script)
        let report = try await runner.run()
        let live = runner.engine.state
        await runner.close()

        // Folding the log from scratch rebuilds the live state, byte for byte.
        // (Compared as text: a failed `#expect` on the states themselves would reflect a whole
        // projection into the report.)
        let replayed = try CanonicalJSON.pretty(try Replay.fold(runner.engine.log))
        let liveJSON = try CanonicalJSON.pretty(live)
        #expect(replayed == liveJSON, "a fresh fold differs from the live state")

        let failure = verifySnapshot(
            of: try CanonicalJSON.pretty(report) + "\n", as: .goldenJSON, named: "expected",
            snapshotDirectory: Self.directory.path, testName: name)
        if let failure { Issue.record(Comment(rawValue: failure)) }
    }

    @Test func everyScenarioHasAGoldenFile() {
        #expect(Self.names.count >= 18)
        for name in Self.names {
            #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent("\(name).expected.json").path),
                "\(name).scenario has no \(name).expected.json")
        }
    }

    @Test func aMalformedScriptNamesItsLine() {
        #expect(throws: ScenarioScript.ParseError.self) {
            try ScenarioScript.parse("title: x\nat 0s add repo=a\nat soon spawn item-1\n", file: "bad.scenario")
        }
        do {
            _ = try ScenarioScript.parse("at 5m tick\nat 1m tick\n", file: "bad.scenario")
            Issue.record("a step going back in time was accepted")
        } catch let error as ScenarioScript.ParseError {
            #expect(error.line == 2)
            #expect(error.description == "bad.scenario:2: steps must not go back in time")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// A misspelt option is an error naming its line, not a silently different scenario.
    @Test func anOptionTheVerbDoesNotTakeFailsTheScenario() async throws {
        let script = try ScenarioScript.parse("title: x\nat 0s add repo=acme/web prioirty=high\n", file: "typo.scenario")
        let runner = try ScenarioRunner(script)
        do {
            _ = try await runner.run()
            Issue.record("the misspelt option was accepted")
        } catch let error as StepError {
            #expect(error.description == "line 2 ('add repo=acme/web prioirty=high'): 'add' does not take prioirty=")
        }
        await runner.close()
    }
}

extension Snapshotting where Value == String, Format == String {
    /// Text compared line by line (a failure prints a unified diff), stored as `.json`.
    static var goldenJSON: Snapshotting {
        var strategy = Snapshotting.lines
        strategy.pathExtension = "json"
        return strategy
    }
}
