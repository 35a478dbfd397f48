import Foundation

/// The test Docker daemon that `scripts/test` starts (`DOCKER_HOST`), reached with the `docker`
/// CLI: the tests of `shiftlog serve --runtime docker` look at the containers and at the
/// daemon's own record of what it created and started, below any Shiftlog code. Without
/// `DOCKER_HOST` those tests fail, naming the command to run, unless `SHIFTLOG_SKIP_DOCKER=1`
/// turns them off.
struct DockerShell: Sendable {
    static let isSkipped = ProcessInfo.processInfo.environment["SHIFTLOG_SKIP_DOCKER"] == "1"
    /// The worker image `scripts/docker-daemon` builds.
    static let image = ProcessInfo.processInfo.environment["SHIFTLOG_WORKER_IMAGE"] ?? "shiftlog/worker:busybox"

    init() throws {
        guard let host = ProcessInfo.processInfo.environment["DOCKER_HOST"], !host.isEmpty else {
            throw E2EFailure(
                "DOCKER_HOST is not set: run the tests with scripts/test (or `eval \"$(scripts/docker-daemon start)\"`), or set SHIFTLOG_SKIP_DOCKER=1")
        }
    }

    /// Runs `docker arguments…`; its output (fails with it when docker exits non-zero).
    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        try await ShiftlogBinary.runTool("/usr/bin/env", ["docker"] + arguments)
    }

    /// A container as `docker ps` lists it.
    struct Container: Sendable, Hashable {
        var id: String
        var name: String
        var state: String
        var running: Bool { state == "running" }
    }

    /// Every container labelled `dev.shiftlog.instance=label`, running or not, by name.
    func containers(label: String) async throws -> [Container] {
        try await run(["ps", "-a", "--no-trunc", "--filter", "label=dev.shiftlog.instance=\(label)", "--format", "{{.ID}} {{.Names}} {{.State}}"])
            .split(separator: "\n").compactMap { line in
                let fields = line.split(separator: " ").map(String.init)
                return fields.count == 3 ? Container(id: fields[0], name: fields[1], state: fields[2]) : nil
            }
            .sorted { $0.name < $1.name }
    }

    /// One thing the daemon did to a container.
    struct Event: Sendable, Hashable {
        var time: Date
        /// `create`, `start`, `kill`, `die`, `stop`, `destroy`…
        var action: String
        /// The container's name.
        var name: String
    }

    /// What the daemon did to containers labelled `dev.shiftlog.instance=label` from `since`
    /// until now, in order.
    func events(label: String, since: Date) async throws -> [Event] {
        let from = String(format: "%.3f", since.timeIntervalSince1970 - 1)
        let until = String(format: "%.3f", Date().timeIntervalSince1970)
        return try await run([
            "events", "--since", from, "--until", until, "--filter", "type=container",
            "--filter", "label=dev.shiftlog.instance=\(label)", "--format", "{{.TimeNano}} {{.Action}} {{.Actor.Attributes.name}}",
        ])
        .split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard fields.count == 3, let nanoseconds = Double(fields[0]) else { return nil }
            return Event(time: Date(timeIntervalSince1970: nanoseconds / 1e9), action: fields[1], name: fields[2])
        }
    }

    /// `docker events` left running: the names of the containers labelled `label` that the
    /// daemon does `action` to from `since` on, each handed to `handle` as it happens, on a
    /// thread of its own (so that a test can act within a millisecond of the daemon), until
    /// ``EventWatch/stop()``.
    func watch(label: String, action: String, since: Date, _ handle: @escaping @Sendable (String) -> Void) throws -> EventWatch {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "docker", "events", "--since", String(format: "%.3f", since.timeIntervalSince1970), "--filter", "type=container",
            "--filter", "label=dev.shiftlog.instance=\(label)", "--filter", "event=\(action)", "--format", "{{.Actor.Attributes.name}}",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        PipeLines.read(out.fileHandleForReading, bufferSize: 4_096, line: handle)
        try process.run()
        return EventWatch(process: process)
    }

    /// A running ``watch(label:action:since:_:)``.
    final class EventWatch: @unchecked Sendable {
        private let process: Process
        init(process: Process) { self.process = process }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Removes every container labelled `dev.shiftlog.instance=label` (for a test's cleanup).
    func removeContainers(label: String) async {
        guard let ids = try? await run(["ps", "-aq", "--no-trunc", "--filter", "label=dev.shiftlog.instance=\(label)"])
            .split(separator: "\n").map(String.init), !ids.isEmpty
        else { return }
        _ = try? await run(["rm", "-f"] + ids)
    }
}
