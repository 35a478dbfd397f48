#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import NIOCore
import ShiftlogCore
import Testing

/// The leader killed while its workers run in Docker: the instances share the daemon, and the
/// new leader adopts the containers. In the serialized ``ServeInstancesTests`` suite (one
/// cluster of three at a time); needs `DOCKER_HOST` as well (fails without it) unless
/// `SHIFTLOG_SKIP_DOCKER=1`.
extension ServeInstancesTests {
    /// Given three `shiftlog serve --runtime docker` on one log and one daemon, two workers
    /// running in containers the leader started and a third being started, when the leader is
    /// killed with SIGKILL the moment the daemon has created the third one's container (before
    /// it runs or its start is recorded), then another instance leads in the next
    /// term and reconciles (a container planted after the kill, labelled as the cluster's and
    /// owned by no worker, is removed as an orphan), and:
    /// - no worker is recorded lost and no start failed;
    /// - the daemon created and started each worker's container exactly once (its own event
    ///   history), and the log records one `containerStarted` per worker, naming that container;
    /// - every active worker has exactly one running container, the two older ones the very
    ///   containers the dead leader started, and no container of the cluster is left without a
    ///   worker;
    /// - the new leader owns them: a kill sent through a follower is carried out by the new
    ///   leader, which stops the old leader's container (exit 0 on SIGTERM), captures its lines
    ///   and removes it, and starts the retry's worker in a container of its own.
    @Test(.timeLimit(.minutes(2)), .enabled(if: !DockerShell.isSkipped, "SHIFTLOG_SKIP_DOCKER=1"))
    func theLeaderKilledLeavesItsContainersToTheNewLeader() async throws {
        let since = Date()
        var environment = Self.registerOnly
        environment.merge([
            "MAX_WORKERS": "3", "LOOP_INTERVAL_MS": "100", "RECONCILE_INTERVAL_SECONDS": "1", "RETRY_BACKOFF_SECONDS": "0",
            "START_DEADLINE_SECONDS": "60",
            // One line per start; the container's first process ends at once on SIGTERM.
            "WORKER_COMMAND": "trap 'echo stopping; exit 0' TERM; echo \"started $WORKER_ID\"; sleep 120 & wait",
        ]) { $1 }
        try await ServeInstances.with(Self.instances, runtime: .docker, environment: environment) { cluster in
            try await ServiceClient.withHTTPClient(connections: 8, connect: .milliseconds(300)) { http in
                try await killTheLeaderOfContainers(cluster, http: http, since: since)
            }
        }
    }

    private func killTheLeaderOfContainers(_ cluster: ServeInstances, http: HTTPClient, since: Date) async throws {
        let docker = try DockerShell()
        let label = cluster.containerLabel
        let clients = cluster.clients(http, apiKey: Self.apiKey)
        for number in 0..<2 { _ = try await clients[number].add(repo: "acme/adopt", spec: "item \(number)") }
        var leader = -1
        var first: [Worker] = []
        try await waitFor(within: .seconds(30), "the leader to run two workers in containers") {
            guard let last = try cluster.elections().last, let index = cluster.index(of: last) else { return false }
            leader = index
            first = try cluster.state().state.activeWorkersById
            let containers = try await docker.containers(label: label)
            return first.count == 2
                && first.allSatisfy { worker in containers.contains { $0.name == worker.id && $0.running && $0.id == worker.containerId } }
        }
        let oldTerm = try cluster.elections().last!.term
        let startedByTheOldLeader = Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0.containerId!) })

        // A third worker, its start under way: the leader dies (SIGKILL) the moment the daemon
        // has created its container, before the container runs or its start is recorded.
        let leaderProcess = cluster.services[leader].process.processIdentifier
        let killed = StopFlag()
        let watch = try docker.watch(label: label, action: "create", since: Date()) { _ in
            if !killed.isSet {
                kill(leaderProcess, SIGKILL)
                killed.set()
            }
        }
        defer { watch.stop() }
        let thirdItem = try await clients[(leader + 1) % clients.count].add(repo: "acme/adopt", spec: "item 2")
        try await waitFor(within: .seconds(20), every: .milliseconds(10), "the daemon to create the third worker's container") { killed.isSet }
        let ending = try await cluster.services[leader].stop(with: SIGKILL)
        #expect(ending.signalled && ending.status == SIGKILL)
        let thirdId = try #require(try cluster.state().state.activeWorkersById.first { $0.workItemId == thirdItem }?.id)

        // Planted after the kill, so only the new leader's reconciliation can remove it.
        let orphan = "orphan-\(UUID().uuidString.prefix(8).lowercased())"
        try await docker.run([
            "run", "-d", "--name", orphan, "--network", "host", "--label", "dev.shiftlog.instance=\(label)",
            "--label", "dev.shiftlog.worker-id=\(orphan)", DockerShell.image, "sleep", "120",
        ])
        try await waitFor(within: .seconds(15), "another instance to lead") { try cluster.elections().last!.term > oldTerm }
        let elected = try cluster.elections().last!
        #expect(elected.term == oldTerm + 1)
        let newLeader = cluster.index(of: elected) ?? -1
        #expect(newLeader >= 0 && newLeader != leader, "the new leader \(elected.instance) is a surviving instance")

        try await waitFor(within: .seconds(30), "the new leader to reconcile and run the three workers in containers") {
            let (state, _, events) = try cluster.state()
            let containers = try await docker.containers(label: label)
            let orphanRemoved = events.contains {
                if case .orphanContainerRemoved(let removed) = $0.event { removed.containerName == orphan } else { false }
            }
            let active = state.activeWorkersById
            return orphanRemoved && active.count == 3
                && active.allSatisfy { worker in containers.contains { $0.name == worker.id && $0.running && $0.id == worker.containerId } }
        }
        // Who recorded the third worker's start: the killed leader (between the daemon's start
        // and the kill), or the new one, its start delivered again and the container adopted by
        // name (the daemon's history below shows it was created once).
        let events = try cluster.events()
        let newTerm = events.firstIndex { if case .leaderElected(let e) = $0.event { e.term == elected.term } else { false } } ?? 0
        let thirdStart = events.firstIndex { if case .containerStarted(let s) = $0.event { s.workerId == thirdId } else { false } } ?? 0
        print("instances/docker: killed once the daemon had created the third worker's container; instance \(newLeader + 1) "
            + "leads in term \(elected.term); the third worker's start was recorded by "
            + (thirdStart > newTerm ? "the new leader (the container adopted by name)" : "the killed leader"))
        try await expectOneContainerEach(cluster, docker: docker, since: since)
        let now = try cluster.state().state
        for (worker, container) in startedByTheOldLeader {
            #expect(now.workers[worker]?.containerId == container, "\(worker) still runs in the container the killed leader started")
        }

        // The new leader owns them: a kill through a follower stops the old leader's container.
        let victim = first[0].id
        let follower = try #require(clients.indices.first { $0 != leader && $0 != newLeader })
        let killing = try await clients[follower].post("/api/workers/\(victim)/kill", ["reason": "adoption test"])
        #expect(killing.status == 200, "\(killing.text)")
        var stopped: ContainerStopped?
        try await waitFor(within: .seconds(30), "the new leader to stop the killed worker's container and start the retry's") {
            let (state, _, events) = try cluster.state()
            stopped = events.lazy.compactMap { if case .containerStopped(let s) = $0.event, s.workerId == victim { s } else { nil } }.first
            let containers = try await docker.containers(label: label)
            return stopped != nil && state.activeWorkersById.count == 3 && Set(containers.map(\.name)) == Set(state.activeWorkersById.map(\.id))
                && containers.allSatisfy(\.running)
        }
        #expect(stopped?.found == true && stopped?.exitCode == 0, "\(String(describing: stopped))")
        #expect(stopped?.containerId == startedByTheOldLeader[victim])
        #expect(stopped?.logTail == ["started \(victim)", "stopping"], "\(String(describing: stopped))")
        try await expectOneContainerEach(cluster, docker: docker, since: since)
        let history = try await docker.events(label: label, since: since)
        #expect(history.contains { $0.action == "destroy" && $0.name == victim }, "the stopped container was removed")
        #expect(try cluster.elections().last?.term == elected.term, "no other election")
    }

    /// Nothing lost, nothing started twice: no `workerLost` or failed start in the log; one
    /// `containerStarted` per started worker, and one `create` and one `start` of its container
    /// in the daemon's own history; every active worker in exactly one running container (the
    /// one the log names), and no other container of the cluster's.
    private func expectOneContainerEach(_ cluster: ServeInstances, docker: DockerShell, since: Date) async throws {
        let (state, _, events) = try cluster.state()
        var started: [String: [String]] = [:]
        var lost: [String] = []
        var failed: [String] = []
        for event in events {
            switch event.event {
            case .containerStarted(let start): started[start.workerId, default: []].append(start.containerId)
            case .workerLost(let gone): lost.append(gone.workerId)
            case .workerSpawnFailed(let failure): failed.append("\(failure.workerId): \(failure.reason)")
            default: break
            }
        }
        #expect(lost.isEmpty, "recorded lost: \(lost)")
        #expect(failed.isEmpty, "failed starts: \(failed)")
        #expect(started.values.allSatisfy { $0.count == 1 }, "containerStarted per worker: \(started)")
        let history = try await docker.events(label: cluster.containerLabel, since: since)
        for worker in started.keys {
            let actions = history.filter { $0.name == worker }.map(\.action)
            #expect(actions.filter { $0 == "create" }.count == 1 && actions.filter { $0 == "start" }.count == 1, "\(worker): \(actions)")
        }
        let containers = try await docker.containers(label: cluster.containerLabel)
        let active = state.activeWorkersById
        #expect(containers.map(\.name) == active.map(\.id).sorted(), "containers \(containers), active \(active.map(\.id))")
        for worker in active {
            let mine = containers.filter { $0.name == worker.id }
            #expect(mine.count == 1 && mine.first?.running == true && mine.first?.id == worker.containerId, "\(worker.id): \(mine)")
            #expect(started[worker.id] == [worker.containerId!], "\(worker.id)")
        }
    }
}
