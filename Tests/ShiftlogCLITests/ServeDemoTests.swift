import Foundation
import Testing

/// The README's main job, end to end: `shiftlog serve --demo` runs the real service on a real
/// socket, with sample workers as real processes calling it back over HTTP as whim's workers
/// do. Its story, and the log it leaves, are checked.
@Suite struct ServeDemoTests {
    @Test func theServiceDemoPlaysTheWholeLifecycleWithRealWorkers() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-serve-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["serve", "--demo", "--path", folder])
        #expect(status == 0, "\(output)")
        // Workers heartbeat and lock files through their own URLs…
        #expect(output.contains("heartbeatRecorded"), "\(output)")
        #expect(output.contains("locksAcquired"), "\(output)")
        // …one fails and is retried, one goes silent and is killed by the loop…
        #expect(output.contains("sample failure on attempt 1"), "\(output)")
        #expect(output.contains("workerKilled"), "\(output)")
        #expect(output.contains(": heartbeat timeout"), "\(output)")
        // …one completes with a PR and its verification passes; all end completed.
        #expect(output.contains("verificationRecorded"), "\(output)")
        #expect(output.contains("passed"), "\(output)")
        #expect(output.contains("demo: every item has finished (5 completed)"), "\(output)")
        // The console's address while it runs; with no terminal on standard input it stops by itself.
        #expect(output.contains("shiftlog serve: the console is at http://127.0.0.1:"), "\(output)")
        #expect(!output.contains("the console stays at"), "\(output)")
        #expect(output.contains("shiftlog verify   --path \(folder)"), "\(output)")
        // No worker was refused: each used the credential in its URL.
        #expect(!output.contains("accessRefused"), "\(output)")

        let verify = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(verify.status == 0, "\(verify.output)")
        let replay = try await ShiftlogBinary.run(["replay", "--path", folder])
        #expect(replay.status == 0, "\(replay.output)")
    }

    @Test func aBadSettingStopsTheStartNamingTheVariable() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-serve-bad-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cases: [([String: String], String)] = [
            (["MAX_WORKERS": "lots"], "MAX_WORKERS 'lots' is not a whole number"),
            (["MAX_WORKERS": "0"], "MAX_WORKERS 0 is out of range: use 1 to 10000"),
            (["PORT": "70000"], "PORT 70000 is out of range"),
            (["STALE_THRESHOLD": "9223372036854775807"], "STALE_THRESHOLD 9223372036854775807 is out of range"),
            (["LOOP_INTERVAL_MS": "-5"], "LOOP_INTERVAL_MS -5 is out of range"),
            (["LEADER_INTERVAL_MS": "10"], "LEADER_INTERVAL_MS 10 is out of range: use 50 to 60000"),
            (["ORCHESTRATOR_URL": "ftp://x"], "ORCHESTRATOR_URL 'ftp://x' must be an http:// or https:// URL"),
            (["RETRY_BACKOFF_SECONDS": "1,x"], "RETRY_BACKOFF_SECONDS '1,x': 'x' is not a whole number"),
            (["RETRY_BACKOFF_SECONDS": "1,-1"], "RETRY_BACKOFF_SECONDS -1 is out of range: use 0 to 86400"),
            (["CONTAINER_LABEL": "team a"], "CONTAINER_LABEL 'team a' must be 1 to 128 letters, digits, '.', '_' or '-'"),
        ]
        for (environment, message) in cases {
            let (status, output) = try await ShiftlogBinary.run(["serve", "--path", folder], environment: environment)
            #expect(status == 78, "\(environment): \(output)")
            #expect(output.hasPrefix("shiftlog: \(message)"), "\(environment): \(output)")
        }
        // Nothing was created for a start that was refused.
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}
