#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import NIOCore
import ShiftlogCore
import ShiftlogServer
import Synchronization
import Testing

/// Three `shiftlog serve` processes on one PostgreSQL log, called over real HTTP (issue 13):
/// capacity and file locks hold across instances as within one, every acknowledged command is
/// in the log exactly once, and when the leader is killed (SIGKILL) another instance leads
/// within the bound, no worker is started twice, none is left without a process, and the old
/// leader, restarted, follows.
///
/// Each instance has a data folder of its own with a copy of one instance key, and runs its
/// workers as local processes under that folder, or, in
/// `theLeaderKilledLeavesItsContainersToTheNewLeader` (ServeInstancesDockerTests.swift), as
/// containers on the test's Docker daemon, which the instances share: there the new leader
/// adopts the killed leader's containers. Needs `SHIFTLOG_POSTGRES_URL` (fails without it)
/// unless `SHIFTLOG_SKIP_POSTGRES=1`.
@Suite(.serialized, .enabled(if: !PostgresShell.isSkipped, "SHIFTLOG_SKIP_POSTGRES=1"))
struct ServeInstancesTests {
    static let apiKey = "instances-test-key"
    static let instances = 3

    /// Settings of every test. A loop interval of an hour keeps the loop from spawning at all
    /// (its first pass comes before any item), so that `register` is the only way to a worker.
    static let registerOnly: [String: String] = [
        "PORT": "0", "API_KEY": apiKey, "MAX_WORKERS": "2", "COOLDOWN_SECONDS": "0", "LOOP_INTERVAL_MS": "3600000",
        "WORKER_COMMAND": "exec sleep 120", "STALE_THRESHOLD": "600", "DAILY_BUDGET": "100000",
    ]

    // MARK: Capacity

    /// Given 200 items, when 200 `register` requests (one per item) arrive at once, spread
    /// over the three instances, then exactly MAX_WORKERS = 2 workers exist: two 201s, every
    /// other answer a 429 `CAPACITY_EXHAUSTED` (never a 5xx), and each 201 is exactly one
    /// `workerRegistered` in the log; every acknowledged add is exactly one `workItemAdded`.
    @Test(.timeLimit(.minutes(2)))
    func twoHundredConcurrentRegistersGiveExactlyMaxWorkers() async throws {
        let count = 200
        try await ServeInstances.with(Self.instances, environment: Self.registerOnly) { cluster in
            try await ServiceClient.withHTTPClient(connections: count) { http in
                let clients = cluster.clients(http, apiKey: Self.apiKey)
                let items = try await withThrowingTaskGroup(of: String.self) { group in
                    for number in 0..<count {
                        group.addTask { try await clients[number % clients.count].add(repo: "acme/instances", spec: "item \(number)") }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                // Every instance serves the 200 items (each folds the others' events).
                for client in clients {
                    try await waitFor(within: .seconds(10), "\(client.baseURL) to list the \(count) items") {
                        try await client.items().count == count
                    }
                }

                let answers = await withTaskGroup(of: (String, Result<ServiceClient.Answer, any Error>).self) { group in
                    for (number, item) in items.enumerated() {
                        group.addTask {
                            let client = clients[number % clients.count]
                            do {
                                return (item, .success(try await client.post("/api/worker/register", ["workItemId": item])))
                            } catch {
                                return (item, .failure(error))
                            }
                        }
                    }
                    return await group.reduce(into: [(String, Result<ServiceClient.Answer, any Error>)]()) { $0.append($1) }
                }
                let transportErrors = answers.compactMap { if case .failure(let error) = $0.1 { "\(error)" } else { nil } }
                #expect(transportErrors.isEmpty, "\(transportErrors.prefix(3))")
                let answered = answers.compactMap { answer -> (item: String, answer: ServiceClient.Answer)? in
                    if case .success(let reply) = answer.1 { (answer.0, reply) } else { nil }
                }
                let created = answered.filter { $0.answer.status == 201 }
                let refused = answered.filter { $0.answer.status != 201 }
                #expect(answered.allSatisfy { $0.answer.status < 500 }, "\(answered.filter { $0.answer.status >= 500 }.prefix(3).map(\.answer.text))")
                #expect(
                    refused.allSatisfy { $0.answer.status == 429 && $0.answer.code == "CAPACITY_EXHAUSTED" },
                    "\(Dictionary(grouping: refused, by: { "\($0.answer.status) \($0.answer.code ?? "")" }).mapValues(\.count))")
                let registered = created.compactMap { $0.answer["workerId"] as? String }

                let (state, mostActive, events) = try cluster.state()
                let registrations = events.compactMap { if case .workerRegistered(let r) = $0.event, r.created { r.workerId } else { nil } }
                let spawned = events.filter { $0.type == .workerSpawned }.count
                print("instances/register: \(created.count) of \(count) registers answered 201, \(refused.count) refused; "
                    + "\(spawned) spawns by the loop; \(events.count) events")
                #expect(created.count == 2, "201 answers: \(created.map(\.answer.text))")
                #expect(spawned == 0, "the loop spawned (it should be idle)")
                #expect(registrations.sorted() == registered.sorted(), "each 201 is exactly one workerRegistered")
                #expect(state.activeWorkerCount == 2)
                #expect(mostActive == 2, "at most MAX_WORKERS workers were ever active")
                #expect(Set(state.activeWorkersById.map(\.id)) == Set(registered))
                let added = events.compactMap { if case .workItemAdded(let added) = $0.event { added.workItemId } else { nil } }
                #expect(added.sorted() == items.sorted(), "each acknowledged add is exactly one workItemAdded")
                // Every instance serves the same two workers.
                for client in clients {
                    try await waitFor(within: .seconds(10), "\(client.baseURL) to list the two workers") {
                        let active = try await client.workers().filter { ["starting", "running"].contains($0["status"] as? String) }
                        return Set(active.compactMap { $0["id"] as? String }) == Set(registered)
                    }
                }
            }
        }
    }

    // MARK: Locks

    /// Given two workers (registered through different instances), when both lock the same
    /// file at the same time through different instances, with their own credentials, then
    /// exactly one gets it, round after round; the log holds one `locksAcquired` per file,
    /// the winner's. A credential minted from the shared key is good at every instance.
    @Test(.timeLimit(.minutes(2)))
    func twoWorkersLockingOneFileThroughDifferentInstancesNeverBothGetIt() async throws {
        let rounds = 25
        try await ServeInstances.with(Self.instances, environment: Self.registerOnly) { cluster in
            try await ServiceClient.withHTTPClient(connections: 8) { http in
                let clients = cluster.clients(http, apiKey: Self.apiKey)
                let first = try await clients[0].add(repo: "acme/locks", spec: "one")
                let second = try await clients[1].add(repo: "acme/locks", spec: "two")
                var workers: [String] = []
                for (client, item) in [(clients[0], first), (clients[1], second)] {
                    let answer = try await client.post("/api/worker/register", ["workItemId": item])
                    guard answer.status == 201, let id = answer["workerId"] as? String else {
                        throw E2EFailure("register answered \(answer.status): \(answer.text)")
                    }
                    workers.append(id)
                }
                // Each worker's calls, through each instance, with its credential only.
                let through = workers.map { worker in clients.map { $0.asWorker(cluster.credentials.credential(for: worker)) } }
                for (index, client) in clients.enumerated() {
                    try await waitFor(within: .seconds(10), "instance \(index + 1) to know both workers") {
                        let known = Set(try await client.workers().compactMap { $0["id"] as? String })
                        return known.isSuperset(of: workers)
                    }
                }
                // Another worker's credential is refused at any instance.
                let foreign = try await clients[2].asWorker(cluster.credentials.credential(for: workers[0]))
                    .post("/api/worker/\(workers[1])/heartbeat", ["iteration": 1])
                #expect(foreign.status == 403, "\(foreign.text)")

                var winners: [String: String] = [:]
                for round in 0..<rounds {
                    let file = "src/file-\(round).swift"
                    let (workerA, workerB) = (workers[0], workers[1])
                    // Worker A through instance r, worker B through instance r + 1.
                    async let a = through[0][round % clients.count]
                        .post("/api/worker/\(workerA)/lock", ["repo": "acme/locks", "files": [file]])
                    async let b = through[1][(round + 1) % clients.count]
                        .post("/api/worker/\(workerB)/lock", ["repo": "acme/locks", "files": [file]])
                    let answers = try await [a, b]
                    #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.text))")
                    let acquired = answers.map { $0["acquired"] as? Bool }
                    #expect(acquired.filter { $0 == true }.count == 1, "round \(round): \(answers.map(\.text))")
                    if let winner = acquired.firstIndex(of: true) {
                        winners[file] = workers[winner]
                        let loser = answers[1 - winner]
                        #expect(loser["blockedFiles"] as? [String] == [file], "\(loser.text)")
                    }
                }
                // The loser of round 0 asks again through the third instance: still held.
                if let winner = winners["src/file-0.swift"], let loser = workers.first(where: { $0 != winner }) {
                    let again = try await through[workers.firstIndex(of: loser)!][2]
                        .post("/api/worker/\(loser)/lock", ["repo": "acme/locks", "files": ["src/file-0.swift"]])
                    #expect(again.status == 200 && again["acquired"] as? Bool == false, "\(again.text)")
                }

                let events = try cluster.events()
                var acquisitions: [String: [String]] = [:]
                for event in events {
                    if case .locksAcquired(let locks) = event.event {
                        for path in locks.paths { acquisitions[path, default: []].append(locks.workerId) }
                    }
                }
                print("instances/locks: \(rounds) rounds, wins \(Dictionary(grouping: winners.values, by: { $0 }).mapValues(\.count))")
                for round in 0..<rounds {
                    let file = "src/file-\(round).swift"
                    #expect(acquisitions[file] == winners[file].map { [$0] }, "\(file): \(acquisitions[file] ?? [])")
                }
            }
        }
    }

    // MARK: The leader killed

    /// Counts what a load of worker heartbeats and item adds got, by instance.
    struct Load: Sendable {
        var heartbeats: [(worker: String, iteration: Int)] = []
        var adds: [String] = []
        var statuses: [Int: Int] = [:]
        var transportErrors: [Int: Int] = [:]
    }

    /// Given two workers running (local processes started by the leader) and a load of
    /// heartbeats and adds spread over the three instances, when the leader is killed with
    /// SIGKILL, then another instance leads (the next term) within 5 s; no worker's process
    /// is ever started twice; once it has reconciled, every active worker has a live process
    /// of the new leader; every acknowledged heartbeat and add is in the log exactly once.
    /// Restarted, the old leader follows: it serves the same workers, its `/api/status` names
    /// the new leader and says it does not lead, it runs no effects, and a kill sent through
    /// it is carried out by the leader; no election names it.
    ///
    /// What happens to the killed leader's workers: they run in process groups of their own,
    /// so they survive it, but under its folder, which no other instance's process runtime
    /// lists. The new leader records them `workerLost` ("container … is gone") and spawns new
    /// workers (new ids) for queued items; the old processes are left running, unowned by any
    /// instance, until the test ends them: the process runtime is for one instance. With
    /// Docker the instances share one daemon and the new leader adopts the containers instead,
    /// none lost, none started twice: proven by `theLeaderKilledLeavesItsContainersToTheNewLeader`.
    @Test(.timeLimit(.minutes(2)))
    func theLeaderKilledIsReplacedWithinTheBoundAndFollowsOnceRestarted() async throws {
        let starts = NSTemporaryDirectory() + "shiftlog-e2e-instances-starts-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: starts, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: starts) }
        var environment = Self.registerOnly
        environment.merge([
            "LOOP_INTERVAL_MS": "100", "RECONCILE_INTERVAL_SECONDS": "1", "RETRY_BACKOFF_SECONDS": "0",
            "START_DEADLINE_SECONDS": "60",
            // Each start leaves a line: duplicates of one worker id are starts twice.
            "WORKER_COMMAND": "echo \"$WORKER_ID $$\" >> '\(starts)'; exec sleep 120",
        ]) { $1 }
        try await ServeInstances.with(Self.instances, environment: environment) { cluster in
            try await ServiceClient.withHTTPClient(connections: 16, connect: .milliseconds(300)) { http in
                try await killTheLeader(cluster, http: http, starts: starts)
            }
        }
    }

    private func killTheLeader(_ cluster: ServeInstances, http: HTTPClient, starts: String) async throws {
        var clients = cluster.clients(http, apiKey: Self.apiKey)
        var acknowledgedAdds: [String] = []
        for number in 0..<6 {
            acknowledgedAdds.append(try await clients[number % clients.count].add(repo: "acme/takeover", spec: "item \(number)"))
        }
        // Two workers running, each with its process, started by the leader.
        var elections: [LeaderElected] = []
        var first: [Worker] = []
        var leader = -1
        try await waitFor(within: .seconds(20), "the leader to run two workers") {
            elections = try cluster.elections()
            guard let last = elections.last, let index = cluster.index(of: last) else { return false }
            leader = index
            first = try cluster.state().state.activeWorkersById
            return first.count == 2 && first.allSatisfy { $0.containerId != nil && cluster.liveWorkerProcess(of: index, workerId: $0.id) != nil }
        }
        let oldTerm = elections.last!.term
        for other in clients.indices where other != leader {
            #expect(cluster.liveWorkerProcesses(of: other).isEmpty, "only the leader starts workers")
        }

        // The load: each worker heartbeats through the three instances in turn, and items are
        // added through them in turn, until told to stop.
        let stop = StopFlag()
        let loadClients = clients
        let firstIds = first.map(\.id)
        let credentials = firstIds.map { cluster.credentials.credential(for: $0) }
        let load = Task {
            await withTaskGroup(of: Load.self) { group in
                for (worker, credential) in zip(firstIds, credentials) {
                    group.addTask {
                        var load = Load()
                        var iteration = 0
                        while !stop.isSet {
                            iteration += 1
                            let instance = iteration % loadClients.count
                            do {
                                let answer = try await loadClients[instance].asWorker(credential)
                                    .post("/api/worker/\(worker)/heartbeat", ["iteration": iteration, "status": "running"])
                                load.statuses[answer.status, default: 0] += 1
                                if answer.status == 200 { load.heartbeats.append((worker, iteration)) }
                            } catch {
                                load.transportErrors[instance, default: 0] += 1
                            }
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                        return load
                    }
                }
                group.addTask {
                    var load = Load()
                    var number = 0
                    while !stop.isSet {
                        number += 1
                        let instance = number % loadClients.count
                        do {
                            let answer = try await loadClients[instance].post(
                                "/api/work", ["repo": "acme/takeover", "spec": "load \(number)"])
                            load.statuses[answer.status, default: 0] += 1
                            if answer.status == 201, let id = answer["id"] as? String { load.adds.append(id) }
                        } catch {
                            load.transportErrors[instance, default: 0] += 1
                        }
                        try? await Task.sleep(for: .milliseconds(25))
                    }
                    return load
                }
                return await group.reduce(into: Load()) { total, part in
                    total.heartbeats += part.heartbeats
                    total.adds += part.adds
                    total.statuses.merge(part.statuses, uniquingKeysWith: +)
                    total.transportErrors.merge(part.transportErrors, uniquingKeysWith: +)
                }
            }
        }
        var result: Load
        var takeover = Duration.zero
        var newLeader = -1
        do {
            // Mid-run: both workers have heartbeat a few times.
            try await waitFor(within: .seconds(10), "both workers to heartbeat") {
                let workers = try cluster.state().state.workers
                return first.allSatisfy { (workers[$0.id]?.iteration ?? 0) >= 5 }
            }
            let killed = ContinuousClock.now
            let ending = try await cluster.services[leader].stop(with: SIGKILL)
            #expect(ending.signalled && ending.status == SIGKILL)
            try await waitFor(within: .seconds(15), "another instance to lead") {
                elections = try cluster.elections()
                return elections.last!.term > oldTerm
            }
            takeover = killed.duration(to: .now)
            let elected = elections.last!
            #expect(elected.term == oldTerm + 1)
            newLeader = cluster.index(of: elected) ?? -1
            #expect(newLeader >= 0 && newLeader != leader, "the new leader \(elected.instance) is a surviving instance")
            print("instances/takeover: instance \(newLeader + 1) leads in term \(elected.term), \(takeover) after the SIGKILL")
            #expect(takeover < .seconds(5), "takeover took \(takeover)")

            // The new leader reconciles: every active worker has a live process of its own.
            try await waitFor(within: .seconds(20), "the new leader to own every active worker") {
                let active = try cluster.state().state.activeWorkersById
                return active.count == 2
                    && active.allSatisfy { $0.containerId != nil && cluster.liveWorkerProcess(of: newLeader, workerId: $0.id) != nil }
            }
            // A little more load through the survivors, then stop it.
            let lastSequence = try cluster.events().last?.sequence ?? 0
            try await waitFor(within: .seconds(10), "the load to go on after the takeover") {
                try cluster.events().contains { $0.sequence > lastSequence + 10 }
            }
        } catch {
            stop.set()
            let load = await load.value
            Issue.record("load so far: \(load.heartbeats.count) heartbeats and \(load.adds.count) adds acknowledged; answers \(load.statuses), transport errors by instance \(load.transportErrors); events: \((try? cluster.events().suffix(30).map { "\($0.sequence) \($0.type)" }) ?? [])")
            throw error
        }
        stop.set()
        result = await load.value
        acknowledgedAdds += result.adds

        // Nothing acknowledged is lost, nothing is in the log twice.
        let (state, mostActive, events) = try cluster.state()
        var beats: [String: Int] = [:]
        var added: [String: Int] = [:]
        var containerStarts: [String: Int] = [:]
        var lost: [String] = []
        for event in events {
            switch event.event {
            case .heartbeatRecorded(let beat): beats["\(beat.workerId)#\(beat.iteration)", default: 0] += 1
            case .workItemAdded(let item): added[item.workItemId, default: 0] += 1
            case .containerStarted(let started): containerStarts[started.workerId, default: 0] += 1
            case .workerLost(let gone): lost.append(gone.workerId)
            default: break
            }
        }
        print("instances/takeover: \(result.heartbeats.count) heartbeats and \(result.adds.count) adds acknowledged; "
            + "answers \(result.statuses), transport errors by instance \(result.transportErrors); lost \(lost)")
        #expect(result.statuses.keys.allSatisfy { $0 < 500 }, "answers by status: \(result.statuses)")
        #expect(result.transportErrors.keys.allSatisfy { $0 == leader }, "only the killed instance fails to answer: \(result.transportErrors)")
        let missingBeats = result.heartbeats.filter { beats["\($0.worker)#\($0.iteration)"] != 1 }
        #expect(missingBeats.isEmpty, "acknowledged heartbeats not in the log exactly once: \(missingBeats.prefix(5))")
        let missingAdds = acknowledgedAdds.filter { added[$0] != 1 }
        #expect(missingAdds.isEmpty, "acknowledged adds not in the log exactly once: \(missingAdds.prefix(5))")

        // No worker was started twice: one process start per worker id, one containerStarted.
        let startLines = RunningService.contents(of: starts).split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        let startsByWorker = Dictionary(grouping: startLines, by: { $0 }).mapValues(\.count)
        #expect(startsByWorker.values.allSatisfy { $0 == 1 }, "process starts per worker: \(startsByWorker)")
        #expect(containerStarts.values.allSatisfy { $0 == 1 }, "containerStarted per worker: \(containerStarts)")
        #expect(Set(containerStarts.keys) == Set(startsByWorker.keys), "starts: \(startsByWorker), logged: \(containerStarts)")
        #expect(mostActive <= 2, "at most MAX_WORKERS workers were ever active")
        // The killed leader's workers: recorded lost; their processes outlive it, unowned.
        #expect(Set(lost).isSuperset(of: first.map(\.id)), "lost: \(lost)")
        let orphans = cluster.liveWorkerProcesses(of: leader)
        print("instances/takeover: the killed leader's worker processes still running: \(orphans) (no instance lists them)")
        for worker in state.activeWorkersById {
            #expect(worker.containerId != nil && cluster.liveWorkerProcess(of: newLeader, workerId: worker.id) != nil, "\(worker.id)")
        }

        // The old leader, restarted, follows.
        try await cluster.restart(leader)
        clients = cluster.clients(http, apiKey: Self.apiKey)
        let restarted = clients[leader]
        let active = Set(try cluster.state().state.activeWorkersById.map(\.id))
        try await waitFor(within: .seconds(10), "the restarted instance to serve the active workers") {
            let listed = try await restarted.workers().filter { ["starting", "running"].contains($0["status"] as? String) }
            return Set(listed.compactMap { $0["id"] as? String }) == active
        }
        // Every instance names the same leader in /api/status; only the leader says it leads,
        // and only it runs effects.
        let leaderName = try cluster.elections().last!.instance
        for (index, client) in clients.enumerated() {
            let status = try await client.get("/api/status")
            let reported = status["leader"] as? [String: Any]
            #expect(status.status == 200 && reported?["instance"] as? String == leaderName, "instance \(index + 1): \(status.text)")
            #expect(reported?["term"] as? Int == Int(oldTerm + 1), "instance \(index + 1): \(status.text)")
            #expect(reported?["leading"] as? Bool == (index == newLeader), "instance \(index + 1): \(status.text)")
            #expect((status["effects"] as? [Any])?.isEmpty == (index != newLeader), "effects run in the leader only: \(status.text)")
        }
        // A kill sent through the follower is carried out by the leader: it stops the process
        // and spawns another worker in the freed place.
        let victim = active.sorted()[0]
        let kill = try await restarted.post("/api/workers/\(victim)/kill", ["reason": "instances test"])
        #expect(kill.status == 200, "\(kill.text)")
        try await waitFor(within: .seconds(20), "the leader to stop the killed worker and spawn another") {
            let now = try cluster.state().state.activeWorkersById
            return cluster.liveWorkerProcess(of: newLeader, workerId: victim) == nil
                && now.count == 2 && !now.contains { $0.id == victim }
                && now.allSatisfy { $0.containerId != nil && cluster.liveWorkerProcess(of: newLeader, workerId: $0.id) != nil }
        }
        let finalElections = try cluster.elections()
        #expect(finalElections.last?.term == oldTerm + 1, "\(finalElections)")
        #expect(cluster.index(of: finalElections.last!) == newLeader)
        #expect(!finalElections.contains { cluster.index(of: $0) == leader }, "the restarted instance was never elected: \(finalElections)")
        #expect(cluster.liveWorkerProcesses(of: leader) == orphans, "the follower started no worker")
        let finalStarts = RunningService.contents(of: starts).split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Dictionary(grouping: finalStarts, by: { $0 }).values.allSatisfy { $0.count == 1 }, "\(finalStarts)")
    }
}

/// A flag one task sets and others poll.
final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
