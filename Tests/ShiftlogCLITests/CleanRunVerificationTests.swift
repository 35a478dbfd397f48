import Foundation
import ShiftlogCore
import ShiftlogStore
import Testing

/// `verify` and `replay` on logs of clean runs, with no crash: a start the container handler
/// skipped because its worker had already ended, and a start the engine gave up at the start
/// deadline (recorded as a command of its own, with no causation id), are no "effects with no
/// outcome".
@Suite struct CleanRunVerificationTests {
    final class Counter: IDSource, @unchecked Sendable {
        var n = 0  // one test, one thread
        func next(_ kind: IDKind) -> String {
            n += 1
            return "\(kind.rawValue)-\(n)"
        }
    }

    /// Writes a log of `commands` (each with its causation), the container handler's
    /// checkpoint at its end.
    func log(_ commands: [(Command, String?)]) throws -> String {
        let folder = NSTemporaryDirectory() + "shiftlog-cleanrun-\(UUID().uuidString)"
        let log = try LMDBEventLog(path: folder)
        var state = LifecycleState()
        var time = Timestamp(iso8601: "2026-03-01T09:00:00Z")!
        let ids = Counter()
        var events: [RecordedEvent] = []
        for (index, (command, causation)) in commands.enumerated() {
            time = time.adding(seconds: 1)
            let decision = try decide(command, state: state, context: DecisionContext(now: time, ids: ids, configuration: .init()))
            events += state.record(decision.events, at: time, correlationId: "cmd-\(index)", causationId: causation)
        }
        try log.append(AppendBatch(events: events, checkpoints: ["containers": state.lastSequence]))
        return folder
    }

    func expectVerifyAndReplayPass(_ folder: String) async throws {
        for command in ["verify", "replay"] {
            let (status, output) = try await ShiftlogBinary.run([command, "--path", folder])
            #expect(status == 0, "\(command): \(output)")
            #expect(!output.contains("no outcome"), "\(command): \(output)")
        }
    }

    @Test func aStartSkippedBecauseItsWorkerHadEndedIsNoMissingOutcome() async throws {
        // The worker is killed before the handler reaches its start; the handler skips the
        // start and stops nothing but records the stop of a container it never had.
        let folder = try log([
            (.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x")), nil),
            (.spawn(workItemId: "item-1", mode: nil), nil),
            (.kill(workerId: "worker-2", reason: "operator"), nil),
            (.recordContainerStopped(workerId: "worker-2", containerId: nil, found: false, exitCode: nil, logTail: []), "seq:3"),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await expectVerifyAndReplayPass(folder)
    }

    @Test func aStartGivenUpAtTheDeadlineIsNoMissingOutcome() async throws {
        let folder = try log([
            (.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x")), nil),
            (.spawn(workItemId: "item-1", mode: nil), nil),
            (.recordSpawnFailure(workerId: "worker-2", reason: "no container within the 120 s start deadline"), nil),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await expectVerifyAndReplayPass(folder)
    }

    @Test func aStartWithNoOutcomeIsStillReported() async throws {
        let folder = try log([
            (.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x")), nil),
            (.spawn(workItemId: "item-1", mode: nil), nil),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status != 0)
        #expect(output.contains("covers #2 (start worker-2) but no outcome of that start is in the log"), "\(output)")
    }
}
