import Foundation
import ShiftlogCore
import ShiftlogEngine
import Testing

/// The README's embedding example, compiled and run here; the test fails if the README's copy
/// drifts from this one.
@Suite struct EmbeddingExampleTests {
    @Test func theReadmeExampleRunsAndIsTheOneInTheReadme() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-embedding-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder  // the README has `let path = "./shiftlog-data"`

        // README:begin
        let engine = try Engine.open(path: path, runtime: InMemoryContainerRuntime())
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Fix the login form", priority: .high))
        if engine.hasCapacity().allowed {
            let worker = try await engine.spawn(workItemId: item.id)  // starting; a handler starts its container
            try await engine.heartbeat(workerId: worker.id, Heartbeat(iteration: 1))
            let lock = try await engine.locks.acquire(workerId: worker.id, repo: "acme/web", files: ["src/login.ts"])
            print("lock acquired: \(lock.acquired)")
            try await engine.complete(workerId: worker.id, Completion(prUrl: "https://github.com/acme/web/pull/1", prNumber: 1))
        }
        let (killed, spawned) = try await engine.tick()  // the orchestrator's loop: kill stale workers, spawn while capacity allows
        print("killed \(killed.count), spawned \(spawned.count)")
        await engine.close()
        // README:end

        #expect(engine.state.workItems[item.id]?.status == .completed)

        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let example = source.components(separatedBy: "// README:begin\n")[1].components(separatedBy: "        // README:end")[0]
        let dedented = example.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }.joined(separator: "\n")
        let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md").path
        let readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        #expect(readme.contains("import ShiftlogCore\nimport ShiftlogEngine\n\nlet path = \"./shiftlog-data\"\n" + dedented + "```"),
            "README's embedding example differs from EmbeddingExampleTests; copy it over")
    }
}
