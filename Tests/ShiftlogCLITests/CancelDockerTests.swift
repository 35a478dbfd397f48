import Foundation
import Testing

/// Issue 18 §1–2 with Docker: the cancel of a worker running in a container. A busybox worker
/// that reads its heartbeat's answer ends by itself (and its container, left to exit, is
/// recorded as exited 0); one that ignores the answer is stopped once the grace has run out.
/// Needs the daemon `DOCKER_HOST` names (`scripts/test` starts one); fails without it unless
/// `SHIFTLOG_SKIP_DOCKER=1`.
@Suite(.enabled(if: !DockerShell.isSkipped, "SHIFTLOG_SKIP_DOCKER=1"))
struct CancelDockerTests {
    /// Heartbeats with busybox `wget`; an item whose spec says `honour` ends on a cancel.
    static let worker = #"""
        trap 'echo "got SIGTERM"; exit 0' TERM
        worker="${ORCHESTRATOR_URL%/}/api/worker/$WORKER_ID"
        n=0
        while true; do
            n=$((n+1))
            answer=$(timeout 10 wget -q -O - --header='Content-Type: application/json' --post-data="{\"iteration\":$n}" "$worker/heartbeat")
            echo "beat $n"
            case "$WORK_ITEM" in *honour*)
                case "$answer" in *'"cancel"'*)
                    echo "cancel received; ending"
                    timeout 10 wget -q -O - --header='Content-Type: application/json' --post-data="{\"error\":\"cancelled\",\"iteration\":$n}" "$worker/fail"
                    exit 0;;
                esac;;
            esac
            sleep 0.2 & wait $!
        done
        """#

    @Test(.timeLimit(.minutes(2)))
    func aCancelReachesAWorkerInAContainer() async throws {
        let docker = try DockerShell()
        let folder = NSTemporaryDirectory() + "shiftlog-cancel-docker-\(UUID().uuidString)"
        let label = "cancel-\(UUID().uuidString.prefix(8))"
        defer {
            // A cleanup, awaited on its own (a defer cannot await).
            Task { [docker] in await docker.removeContainers(label: label) }
            try? FileManager.default.removeItem(atPath: folder)
        }
        let path = folder + "/log"
        let service = try await RunningService.start(
            path: path, arguments: ["--runtime", "docker"],
            environment: [
                "PORT": "0", "WORKER_IMAGE": DockerShell.image, "WORKER_COMMAND": Self.worker, "CONTAINER_LABEL": label,
                "LOOP_INTERVAL_MS": "100", "COOLDOWN_SECONDS": "0", "MAX_WORKERS": "2",
                "CANCEL_GRACE_SECONDS": "2", "END_GRACE_SECONDS": "1",
            ])
        defer { service.forceCleanUp() }
        let (honours, ignores) = try await ServiceClient.withHTTPClient { http in
            let client = ServiceClient(http: http, baseURL: service.url)
            let honours = try await client.add(repo: "acme/docker", spec: "honour the cancel")
            let ignores = try await client.add(repo: "acme/docker", spec: "ignore the cancel")
            try await waitFor(within: .seconds(60), "both workers to heartbeat") {
                try await client.workers().filter { $0["status"] as? String == "running" }.count == 2
            }
            for id in [honours, ignores] {
                let answer = try await client.post("/api/work/\(id)/cancel", ["reason": "docker test"])
                #expect(answer.status == 200, "\(answer.text)")
            }
            try await waitFor(within: .seconds(60), "both items to be cancelled and both containers' ends recorded") {
                let items = try await client.items()
                let ended = try await loggedEvents(in: path, types: ["containerExited", "containerStopped"])
                return items.allSatisfy { $0["status"] as? String == "cancelled" } && ended.count == 2
            }
            return (honours, ignores)
        }
        let events = try await loggedEvents(in: path)
        func of(_ item: String, _ type: String) -> [[String: Any]] {
            events.filter { $0["type"] as? String == type && $0.payload("workItemId") as? String == item }
        }
        // The worker that read the answer ended by itself: a failure, no stop, exit 0.
        #expect(of(honours, "workerFailed").count == 1 && of(honours, "cancelGraceExpired").isEmpty)
        let exited = try #require(of(honours, "containerExited").first)
        #expect(exited.payload("exitCode") as? Int == 0)
        #expect((exited.payload("logTail") as? [String])?.contains("cancel received; ending") == true)
        // The one that ignored it was stopped after the grace, as a kill is.
        #expect(of(ignores, "cancelGraceExpired").count == 1 && of(ignores, "workerFailed").isEmpty)
        let stopped = try #require(of(ignores, "containerStopped").first)
        #expect(stopped.payload("found") as? Bool == true)
        #expect((stopped.payload("logTail") as? [String])?.contains("got SIGTERM") == true)
        // Both containers were removed once their ends were recorded.
        await #expect(try docker.containers(label: label).isEmpty)
        #expect(try await service.stop(with: SIGTERM).status == 0, "\(service.output)")
        let verify = try await ShiftlogBinary.run(["verify", "--path", path])
        #expect(verify.status == 0, "\(verify.output)")
    }
}
