import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

/// `shiftlog verify` checks the lifecycle's invariants after every event and names the first
/// event that breaks one, with its causation chain. The logs are written record by record
/// (as a buggy build, or a hand-edited import, could have written them).
@Suite struct InvariantVerificationTests {
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    /// Writes each event as a command of its own, except those marked to go with the one
    /// before (one command's events share their correlation id).
    func write(_ events: [(Event, String?)], together: Set<Int> = []) throws -> String {
        let folder = NSTemporaryDirectory() + "shiftlog-invariants-\(UUID().uuidString)"
        let log = try LMDBEventLog(path: folder)
        var command = 0
        try log.append(AppendBatch(events: events.enumerated().map { index, pair in
            if !together.contains(index) { command += 1 }
            return RecordedEvent(
                sequence: UInt64(index + 1), time: t0.adding(seconds: Int64(index)), correlationId: "cmd-\(command)",
                causationId: pair.1, event: pair.0)
        }))
        log.close()
        return folder
    }

    var spawned: [(Event, String?)] {
        [
            (.workItemAdded(WorkItemAdded(
                workItemId: "item-1", repo: "acme/web", branch: nil, spec: "x", description: nil, type: .execution,
                priority: .medium, maxIterations: 10, parentWorkItemId: nil, prNumber: nil, source: nil, sourceRef: nil,
                metadata: [:])), nil),
            (.workerSpawned(WorkerSpawned(workerId: "worker-1", workItemId: "item-1", mode: .execution)), nil),
            (.containerStarted(ContainerStarted(workerId: "worker-1", workItemId: "item-1", containerId: "c1", environment: nil)), "seq:2"),
            (.heartbeatRecorded(HeartbeatRecorded(workerId: "worker-1", workItemId: "item-1", iteration: 5, status: nil, tokensIn: nil, tokensOut: nil)), nil),
        ]
    }

    @Test func aCleanStoryKeepsEveryInvariant() async throws {
        let folder = try write(spawned)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 0, "\(output)")
        #expect(output.contains("ok    lifecycle invariants: after every command"), "\(output)")
    }

    /// A cancelled run (request, the worker's end, the item cancelled) keeps every invariant;
    /// a retry of the cancelled item breaks "a cancelled item is terminal".
    @Test func aCancelledItemIsNeverRetried() async throws {
        let cancelled: [(Event, String?)] = spawned + [
            (.cancelRequested(CancelRequested(workItemId: "item-1", workerId: "worker-1", reason: "no", graceSeconds: 30)), nil),
            (.cancelGraceExpired(CancelGraceExpired(workerId: "worker-1", workItemId: "item-1", graceSeconds: 30)), nil),
            (.workItemCancelled(WorkItemCancelled(workItemId: "item-1", workerId: "worker-1", reason: "no")), nil),
        ]
        let clean = try write(cancelled, together: [6])
        defer { try? FileManager.default.removeItem(atPath: clean) }
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", clean])
        #expect(status == 0, "\(output)")
        let broken = try write(cancelled + [
            (.workItemRetryScheduled(WorkItemRetryScheduled(
                workItemId: "item-1", workerId: "worker-1", retryCount: 1, nextRetryAt: nil, error: "x")), nil),
        ], together: [6])
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let (brokenStatus, brokenOutput) = try await ShiftlogBinary.run(["verify", "--path", broken])
        #expect(brokenStatus == 1, "\(brokenOutput)")
        #expect(brokenOutput.contains(#"#8 breaks "a cancelled item is terminal": item-1 was retried after it was cancelled"#), "\(brokenOutput)")
    }

    @Test func aFinishedWorkerStillHoldingALockIsNamed() async throws {
        let folder = try write(spawned + [
            (.locksAcquired(LocksAcquired(workerId: "worker-1", repo: "acme/web", paths: ["src/a.ts"])), nil),
            (.workerKilled(WorkerKilled(workerId: "worker-1", workItemId: "item-1", reason: "x")), nil),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 1, "\(output)")
        #expect(output.contains(#"#6 breaks "no lock held by a finished worker": worker-1 is killed and holds src/a.ts"#), "\(output)")
    }

    @Test func anIterationGoingBackwardsIsNamedWithItsCausation() async throws {
        let folder = try write(spawned + [
            (.heartbeatRecorded(HeartbeatRecorded(workerId: "worker-1", workItemId: "item-1", iteration: 2, status: nil, tokensIn: nil, tokensOut: nil)), "seq:3"),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 1, "\(output)")
        #expect(output.contains(#"#5 breaks "iterations never go backwards": worker-1 reported 2 after 5 (causation: #5 heartbeatRecorded ← #3 containerStarted ← #2 workerSpawned)"#), "\(output)")
    }

    @Test func anInProgressItemWithoutAnActiveWorkerIsNamed() async throws {
        let folder = try write(spawned + [
            (.workerStuck(WorkerStuck(workerId: "worker-1", workItemId: "item-1", reason: "loop", attempts: 1)), nil),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await ShiftlogBinary.run(["verify", "--path", folder])
        #expect(status == 1, "\(output)")
        #expect(output.contains(#"#5 breaks "every in-progress item has an active worker": item-1 is in_progress with no active worker"#), "\(output)")
    }
}
