import AsyncHTTPClient
import Foundation
import Testing

/// A bounded load on loopback: 64 workers (local processes that do nothing) and 64 concurrent
/// connections heartbeating for them for about three seconds. Every heartbeat answered 200 is
/// in the log afterwards, and none was answered 5xx. The rate is printed, not asserted.
@Suite struct ServeLoadTests {
    static let workers = 64
    static let duration = Duration.seconds(3)
    /// Heartbeats a connection sends at most, whatever the rate.
    static let maxPerConnection = 1_000

    struct Outcome: Sendable {
        var answered: [(worker: String, iteration: Int)] = []
        var statuses: [Int: Int] = [:]
        var transportErrors: [String] = []
    }

    @Test(.timeLimit(.minutes(2)))
    func sixtyFourConnectionsHeartbeatAndEveryAnsweredHeartbeatIsLogged() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-e2e-load-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log"
        let key = "load-test-key"
        let service = try await RunningService.start(
            path: path, arguments: ["--runtime", "process"],
            environment: [
                "PORT": "0", "API_KEY": key, "WORKER_COMMAND": "sleep 600", "MAX_WORKERS": "\(Self.workers)",
                "COOLDOWN_SECONDS": "0", "LOOP_INTERVAL_MS": "100", "STALE_THRESHOLD": "600",
                "DAILY_BUDGET": "100000000", "MAX_ITERATIONS_DEFAULT": "200",
            ])
        defer { service.forceCleanUp() }
        try await ServiceClient.withHTTPClient(connections: Self.workers) { http in
            try await load(ServiceClient(http: http, baseURL: service.url, apiKey: key), service: service, path: path)
        }
    }

    private func load(_ client: ServiceClient, service: RunningService, path: String) async throws {

        for number in 1...Self.workers {
            _ = try await client.add(repo: "acme/load", spec: "load \(number)")
        }
        var active: [String] = []
        try await waitFor(within: .seconds(30), "\(Self.workers) workers to be spawned") {
            active = try await client.workers()
                .filter { ["starting", "running"].contains($0["status"] as? String) }
                .compactMap { $0["id"] as? String }
            return active.count == Self.workers
        }

        // One connection per worker, heartbeating with rising iterations until time is up.
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + Self.duration
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for worker in active {
                group.addTask {
                    var outcome = Outcome()
                    var iteration = 1
                    while clock.now < deadline, iteration <= Self.maxPerConnection {
                        let beat: [String: Any] = ["iteration": iteration, "status": "running", "tokensIn": iteration]
                        do {
                            let answer = try await client.post("/api/worker/\(worker)/heartbeat", beat)
                            outcome.statuses[answer.status, default: 0] += 1
                            if answer.status == 200 { outcome.answered.append((worker, iteration)) }
                        } catch {
                            outcome.transportErrors.append("\(error)")
                        }
                        iteration += 1
                    }
                    return outcome
                }
            }
            var all: [Outcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let elapsed = start.duration(to: clock.now)
        let ending = try await service.stop(with: SIGTERM)
        #expect(ending.status == 0, "\(service.output)")
        #expect(!ending.signalled)

        var statuses: [Int: Int] = [:]
        for outcome in outcomes { statuses.merge(outcome.statuses, uniquingKeysWith: +) }
        let answered = outcomes.flatMap(\.answered)
        let errors = outcomes.flatMap(\.transportErrors)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "load: \(answered.count) heartbeats answered 200 over \(Self.workers) connections in "
                + String(format: "%.2f s: %.0f requests/s", seconds, Double(statuses.values.reduce(0, +)) / seconds)
                + "; answers by status \(statuses), \(errors.count) transport errors")

        #expect(statuses.keys.allSatisfy { $0 < 500 }, "answers by status: \(statuses)")
        #expect(errors.isEmpty, "\(errors.prefix(5))")
        #expect(answered.count >= Self.workers, "every connection got at least one answer")

        // Every heartbeat answered 200 is in the log, at the iteration it reported.
        let logged = await Set(try loggedEvents(in: path, types: ["heartbeatRecorded"]).compactMap { event -> String? in
            guard let worker = event.payload("workerId") as? String, let iteration = event.payload("iteration") as? Int else { return nil }
            return "\(worker)#\(iteration)"
        })
        let missing = answered.filter { !logged.contains("\($0.worker)#\($0.iteration)") }
        #expect(missing.isEmpty, "\(missing.count) answered heartbeats are not in the log, e.g. \(missing.prefix(5))")
        let verify = try await ShiftlogBinary.run(["verify", "--path", path])
        #expect(verify.status == 0, "\(verify.output)")
    }
}
