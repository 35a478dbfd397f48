import Foundation
import PropertyBased
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore
import Synchronization
import Testing

/// Invariants over random command sequences, run through the real engine on a real log:
/// replay equals the live state; snapshot + tail equals a full replay; active ≤ max; one
/// holder per lock; no lock held by a finished worker; a refused command appends nothing; no
/// finished worker or item outstays the retention (one step in ten jumps 4 days ahead).
@Suite struct InvariantPropertyTests {
    /// A random command, by small indexes into the ids that exist so far.
    static let step = zip(Gen.int(in: 0...13), Gen.int(in: 0...5), Gen.int(in: 0...3), Gen.int(in: 0...30))

    static func command(_ kind: Int, _ a: Int, _ b: Int) -> Command {
        let worker = "worker-\(a + 1)"
        let item = "item-\(a + 1)"
        let file = ["src/a.ts", "./src/a.ts", "src/b.ts", "lib/../src/c.ts"][b]
        switch kind {
        case 0, 1: return .addWorkItem(NewWorkItem(repo: "acme/web", type: b == 3 ? .verification : .execution, maxIterations: 3))
        case 2: return .spawnNext
        case 3: return .spawn(workItemId: item, mode: .execution)
        case 4: return .heartbeat(workerId: worker, Heartbeat(iteration: b))
        case 5: return .complete(workerId: worker, Completion(prNumber: b, verificationEnabled: b.isMultiple(of: 2)))
        case 6: return .fail(workerId: worker, Failure(error: "boom", iteration: b))
        case 7: return .stuck(workerId: worker, reason: "loop", attempts: b)
        case 8: return .kill(workerId: worker, reason: "test")
        case 9: return .acquireLocks(workerId: worker, repo: "acme/web", files: [file])
        case 10: return .releaseLocks(workerId: worker, repo: "acme/web", files: [file])
        case 11: return .register(workItemId: item)
        case 12: return .cancelWorkItem(item)
        default: return .requeueWorkItem(item)
        }
    }

    @Test func invariantsHoldOverRandomSequences() async throws {
        let retired = Mutex(0)
        await propertyCheck(count: 40, input: Self.step.array(of: 1...60)) { steps in
            do {
                let count = try await Self.check(steps)
                retired.withLock { $0 += count }
            } catch {
                Issue.record("unexpected error: \(error)")
            }
        }
        #expect(retired.withLock { $0 } > 0, "the sequences exercised retirement")
    }

    /// Checks one sequence; returns how many workers and items it retired.
    static func check(_ steps: [(Int, Int, Int, Int)]) async throws -> Int {
        let folder = NSTemporaryDirectory() + "shiftlog-property-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = EngineConfiguration()
        configuration.lifecycle.cooldownSeconds = 0
        configuration.snapshotInterval = 17
        let clock = ManualTimeSource(Timestamp(iso8601: "2026-03-01T09:00:00Z")!)
        let engine = try Engine.open(
            path: folder, runtime: InMemoryContainerRuntime(), configuration: configuration, clock: clock,
            ids: SequentialIDs(), metrics: MetricsHandler(factory: NoMetrics()))
        for (kind, a, b, seconds) in steps {
            clock.advance(seconds: seconds >= 28 ? 4 * 86_400 : Int64(seconds * 20))
            let before = try engine.log.lastSequence()
            do {
                try await engine.execute(command(kind, a, b))
            } catch is LifecycleError {
                #expect(try engine.log.lastSequence() == before, "a refused command appended events")
            }
            try await engine.settle()
            let state = engine.state
            #expect(state.activeWorkerCount <= configuration.lifecycle.maxWorkers)
            for lock in state.allLocks {
                #expect(state.workers[lock.workerId]?.status.isActive == true, "\(lock) held by a finished worker")
            }
            let keys = state.allLocks.map { LockKey(repo: $0.repo, path: $0.path) }
            #expect(Set(keys).count == keys.count, "a lock has two holders")
            if let now = state.lastEventTime {
                let cutoff = now.adding(seconds: -LifecycleState.retention)
                for worker in state.workers.values where !worker.status.isActive {
                    #expect(worker.completedAt.map { $0 > cutoff } == true, "\(worker.id) outstayed the retention")
                }
                for item in state.workItems.values where item.isTerminal {
                    #expect(item.updatedAt > cutoff, "\(item.id) outstayed the retention")
                }
            }
        }
        let live = engine.state
        await engine.close()
        // A full fold from the first event equals the live state, byte for byte.
        let replayed = try Replay.fold(engine.log)
        #expect(replayed == live)
        #expect(try CanonicalJSON.line(replayed) == CanonicalJSON.line(live))
        // The latest snapshot plus the tail after it equals the full fold.
        if let snapshot = try engine.log.latestSnapshot() {
            let start = try ProjectionSnapshotCodec.decode(snapshot.bytes)
            #expect(start.lastSequence == snapshot.sequence)
            #expect(try Replay.fold(engine.log, into: start) == replayed)
        }
        return live.retired.workers + live.retired.items
    }
}
