import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Testing

/// The binary reading a log that this test process writes at the same time, or has tampered
/// with: `events --follow` and `replay` against a snapshot that disagrees with the fold.
@Suite struct LiveLogTests {
    @Test func eventsFollowPrintsWhatAnotherProcessAppends() async throws {
        let folder = try await importedDemoLog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(),
            clock: ManualTimeSource(Timestamp(iso8601: "2026-03-02T08:00:00Z")!), startHandlers: false)
        let last = try engine.log.lastSequence()

        // Everything after `last` reaches the follower, whether its first scan or its tail sees it.
        let lines = try await RunningShiftlog.with(["events", "--path", folder, "--follow", "--json", "--after", String(last)]) { follower in
            _ = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "Tail me"))
            _ = try await engine.queue.add(NewWorkItem(repo: "acme/web", spec: "And me"))
            return try await follower.next(2)
        }
        await engine.close()

        let events = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(events.map { $0["sequence"] as? Int } == [Int(last) + 1, Int(last) + 2])
        #expect(events.map { $0["type"] as? String } == ["workItemAdded", "workItemAdded"])
        #expect(lines[1].contains("And me"))
    }

    @Test func replayReportsTheFirstSnapshotThatDiffersFromTheFold() async throws {
        let folder = try await importedDemoLog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A snapshot at #20 as a faulty writer might have stored it: one metric off.
        do {
            let log = try LMDBEventLog(path: folder)
            let state = try Replay.fold(log, until: 20)
            let honest = String(decoding: try CanonicalJSON.compactEncoder().encode(state), as: UTF8.self)
            let faulty = honest.replacingOccurrences(of: "\"tokensIn\":5000", with: "\"tokensIn\":5400")
            try #require(faulty != honest)
            let faultyState = try JSONDecoder().decode(LifecycleState.self, from: Data(faulty.utf8))
            try log.append(AppendBatch(snapshot: StoredSnapshot(sequence: 20, bytes: ProjectionSnapshotCodec.encode(faultyState))))
        }
        let (status, output) = try await ShiftlogBinary.run(["replay", "--path", folder])
        #expect(status == 1, "\(output)")
        #expect(output.contains("snapshot #20: DIFFERS from the fold"), "\(output)")
        #expect(output.contains("5400"), "the diff names the stored value: \(output)")
        #expect(output.contains("DIVERGED: first at #20"), "\(output)")
        // Stopping before the faulty snapshot finds nothing wrong.
        let before = try await ShiftlogBinary.run(["replay", "--path", folder, "--until", "19"])
        #expect(before.status == 0, "\(before.output)")
    }

    @Test func theTimelineOfALostWorkerSaysSoAndLinksTheStopToIt() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-lost-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runtime = InMemoryContainerRuntime()
        var configuration = EngineConfiguration()
        configuration.reconcileInterval = nil
        let engine = try Engine.open(
            path: folder, runtime: runtime, configuration: configuration,
            clock: ManualTimeSource(Timestamp(iso8601: "2026-03-02T08:00:00Z")!), ids: SequentialIDs())
        let item = try await engine.queue.add(NewWorkItem(repo: "acme/web"))
        let worker = try await engine.spawn(workItemId: item.id)
        try await engine.settle()
        runtime.exit(worker.id, code: 3)
        #expect(try await engine.reconcile().lost == [worker.id])
        try await engine.settle()
        await engine.close()

        let (status, output) = try await ShiftlogBinary.run(["timeline", worker.id, "--path", folder])
        #expect(status == 0, "\(output)")
        let lost = try #require(output.split(separator: "\n").first { $0.contains("workerLost") })
        let sequence = try #require(lost.split(separator: " ").first)
        #expect(output.contains("\(worker.id) was lost at #\(sequence) (2026-03-02T08:00:00.000Z): container exited with code 3, found by reconciliation."), "\(output)")
        #expect(output.contains("effect requested: stop container \(worker.id)"), "\(output)")
        #expect(output.contains("outcome of the stop asked by #\(sequence)"), "\(output)")
    }

    private func importedDemoLog() async throws -> String {
        let folder = NSTemporaryDirectory() + "shiftlog-live-\(UUID().uuidString)"
        let (status, output) = try await ShiftlogBinary.run(["import", InspectCommandTests.demoLog, "--path", folder])
        try #require(status == 0, "\(output)")
        return folder
    }
}
