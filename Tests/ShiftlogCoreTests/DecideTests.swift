@testable import ShiftlogCore
import Synchronization
import Testing

/// The pure core, without I/O: decide refuses with a typed error and no events; evolve is
/// deterministic; the same commands give the same events.
@Suite struct DecideTests {
    final class Counter: IDSource {
        let n = Mutex(0)
        func next(_ kind: IDKind) -> String { "\(kind.rawValue)-\(n.withLock { $0 += 1; return $0 })" }
    }

    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    func run(_ commands: [Command], ids: any IDSource) -> (LifecycleState, [RecordedEvent], [LifecycleError]) {
        var state = LifecycleState()
        var log: [RecordedEvent] = []
        var errors: [LifecycleError] = []
        for (index, command) in commands.enumerated() {
            let context = DecisionContext(now: t0.adding(seconds: Int64(index)), ids: ids, configuration: .init())
            do {
                for event in try decide(command, state: state, context: context).events {
                    let recorded = RecordedEvent(sequence: state.lastSequence + 1, time: context.now, correlationId: "c\(index)", causationId: nil, event: event)
                    state = evolve(state, recorded)
                    log.append(recorded)
                }
            } catch {
                errors.append(error)
            }
        }
        return (state, log, errors)
    }

    @Test func sameCommandsGiveTheSameLog() {
        let commands: [Command] = [
            .addWorkItem(NewWorkItem(repo: "acme/web")), .spawnNext, .heartbeat(workerId: "worker-2", Heartbeat(iteration: 1)),
            .kill(workerId: "worker-2", reason: "x"), .kill(workerId: "worker-2", reason: "again"),
        ]
        let (a, logA, errorsA) = run(commands, ids: Counter())
        let (b, logB, _) = run(commands, ids: Counter())
        #expect(a == b)
        #expect(logA == logB)
        #expect(errorsA.map(\.code) == [.workerNotActive])
    }

    @Test func killOfAFinishedWorkerIsRefused() throws {
        let (state, log, errors) = run([
            .addWorkItem(NewWorkItem(repo: "acme/web")), .spawnNext, .complete(workerId: "worker-2", Completion()),
            .kill(workerId: "worker-2", reason: "late"),
        ], ids: Counter())
        #expect(errors.map(\.code) == [.workerNotActive])
        #expect(state.workItems["item-1"]?.status == .completed)
        #expect(!log.contains { $0.type == .workerKilled })
    }

    @Test(arguments: [
        ("src/a.ts", "src/a.ts"), ("./src/a.ts", "src/a.ts"), ("/src//a.ts", "src/a.ts"), ("src/x/../a.ts", "src/a.ts"),
        (" src/a.ts ", "src/a.ts"),
    ])
    func lockPathsAreNormalised(_ raw: String, _ expected: String) {
        #expect(LockPath.normalise(path: raw) == expected)
    }

    @Test(arguments: ["", "/", "..", "src/../../etc"])
    func pathsOutsideTheRepositoryAreRefused(_ raw: String) {
        #expect(LockPath.normalise(path: raw) == nil)
    }
}
