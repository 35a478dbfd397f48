#if canImport(Glibc)
import Glibc
#endif
import Foundation
public import ShiftlogEngine
import ShiftlogCore
import Synchronization

/// Runs each worker as a local child process, for machines without Docker and for the demo,
/// with the container contract: the worker's environment (plus `PATH`), its name, its
/// labels, output kept for `logs`, stop with a grace period, and a listing by label that
/// survives a restart of the engine.
///
/// Each worker has a folder under `directory`: `process.json` (pid, start time, labels;
/// never the environment, which may hold secrets), `output.log` (standard output and error)
/// and, once it has ended, `exit` (its exit status). Each worker runs in a process group of
/// its own, so a stop reaches the processes it started too. Limits and the network mode do not
/// apply to processes.
public final class ProcessRuntime: ContainerRuntime {
    /// The folder holding one folder per worker.
    public let directory: String
    /// Pids of the children this OS process started and has not reaped yet. Process-wide, as
    /// `waitpid` is: a second runtime on the same folder in the same process (an engine
    /// reopened in place) waits for the first one's reaper instead of reading no status.
    private static let children = Mutex<Set<pid_t>>([])

    /// A runtime keeping its workers' folders under `directory` (created if missing).
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    struct Record: Codable {
        var name: String
        var pid: Int32
        /// The process's start time in clock ticks since boot (`/proc/<pid>/stat` field 22),
        /// so that a reused pid is not mistaken for the worker.
        var startTicks: UInt64
        var command: [String]
        var labels: [String: String]
    }

    /// Spawns the spec's command (required: a process has no image) in a process group of its
    /// own, with the spec's environment (plus this process's `PATH` when it sets none) and its
    /// output appended to `output.log`. A live process recorded under the name is adopted when
    /// its instance label is the spec's.
    ///
    /// - Throws: `ContainerRuntimeError` when the command is empty or not found on `PATH`, or
    ///   `nameTaken`; a file system error when the worker's folder cannot be written.
    public func start(_ spec: ContainerSpec) async throws -> ContainerHandle {
        let existing = try read(spec.name)
        if let existing {
            let owner = existing.labels[ContainerLabel.instance]
            let instance = spec.labels[ContainerLabel.instance]
            guard owner == instance else { throw ContainerRuntimeError.nameTaken(spec.name, owner: owner, instance: instance) }
            if Self.isAlive(existing) { return handle(existing) }  // adopt
        }
        let folder = folder(of: spec.name)
        if existing == nil, let record = try recordUnrecorded(spec.name, command: spec.command, labels: spec.labels) {
            // A start cut short between the spawn and its record (the engine's process died
            // there): adopt the process it spawned rather than start the worker a second time.
            return handle(record)
        }
        guard let program = spec.command.first else {
            throw ContainerRuntimeError("the process runtime needs a worker command (EngineConfiguration.workerCommand)")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: folder + "/exit")
            var environment = spec.environment
            if environment["PATH"] == nil { environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin" }
            guard let executable = Self.resolve(program, path: environment["PATH"]!) else {
                throw ContainerRuntimeError("no executable '\(program)' on PATH")
            }
            let pid = try Self.spawn(executable, arguments: spec.command, environment: environment, output: folder + "/output.log")
            Self.children.withLock { _ = $0.insert(pid) }
            let record = Record(name: spec.name, pid: pid, startTicks: Self.startTicks(pid) ?? 0, command: spec.command, labels: spec.labels)
            do {
                try write(record)
            } catch {
                kill(-pid, SIGKILL)  // started, but not recorded: nothing could ever stop it
                reap(pid, into: folder)
                throw error
            }
            reap(pid, into: folder)
            return handle(record)
        } catch {
            // Remove what this call created, and only that: the folder of a worker that ran
            // before (its record and output) stays.
            if existing == nil { try? FileManager.default.removeItem(atPath: folder) }
            throw error
        }
    }

    /// Sends SIGTERM to the worker's process group, then SIGKILL after `grace`; the exit code is
    /// the status its reaper recorded in `exit`.
    public func stop(name: String, grace: Duration) async throws -> ContainerExit? {
        guard let record = try read(name) ?? recordUnrecorded(name) else { return nil }
        let alive = Self.isAlive(record)
        if alive {
            kill(-record.pid, SIGTERM)
            if !(await waitForExit(record, within: grace)) {
                kill(-record.pid, SIGKILL)
                _ = await waitForExit(record, within: .seconds(10))
            }
        }
        return ContainerExit(containerId: containerId(record), exitCode: await exitCode(of: record), stopped: alive)
    }

    /// The last `lines` lines of the worker's `output.log`.
    public func logs(name: String, lines: Int) async throws -> [String]? {
        guard try read(name) != nil else { return nil }
        let data = (try? Data(contentsOf: URL(fileURLWithPath: folder(of: name) + "/output.log"))) ?? Data()
        var all = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if all.last == "" { all.removeLast() }
        return Array(all.suffix(max(lines, 0)))
    }

    /// Kills the worker's process group if it is still alive (SIGKILL), then deletes its folder.
    public func remove(name: String) async throws -> Bool {
        guard let record = try read(name) ?? recordUnrecorded(name) else { return false }
        if Self.isAlive(record) {
            kill(-record.pid, SIGKILL)
            _ = await waitForExit(record, within: .seconds(10))
        }
        // Let this process's reaper write the exit status first, or it could write into the
        // folder while it is being removed.
        _ = await exitCode(of: record)
        try FileManager.default.removeItem(atPath: folder(of: name))
        return true
    }

    /// The workers under ``directory`` whose labels name `instance`, by name, with the exit code
    /// of those that ended.
    public func list(instance: String) async throws -> [ContainerHandle] {
        var handles: [ContainerHandle] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            guard let record = try read(name), record.labels[ContainerLabel.instance] == instance else { continue }
            var handle = handle(record)
            if !handle.running { handle.exitCode = Self.recordedExit(folder(of: name)) }
            handles.append(handle)
        }
        return handles
    }

    // MARK: Processes

    private func folder(of name: String) -> String { directory + "/" + name }

    private func read(_ name: String) throws -> Record? {
        guard let data = FileManager.default.contents(atPath: folder(of: name) + "/process.json") else { return nil }
        return try JSONDecoder().decode(Record.self, from: data)
    }

    /// Records the live process a cut-short start left unrecorded (see
    /// ``unrecordedProcess(in:)``), if there is one, so that it is adopted or stopped and
    /// removed like any other, never left running unknown.
    private func recordUnrecorded(_ name: String, command: [String] = [], labels: [String: String] = [:]) throws -> Record? {
        guard let pid = Self.unrecordedProcess(in: folder(of: name)) else { return nil }
        let record = Record(name: name, pid: pid, startTicks: Self.startTicks(pid) ?? 0, command: command, labels: labels)
        try write(record)
        return record
    }

    /// Written whole or not at all (a temporary file renamed), so that a process dying
    /// mid-write leaves no half record that would make the folder unreadable.
    private func write(_ record: Record) throws {
        try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: folder(of: record.name) + "/process.json"), options: .atomic)
    }

    private func handle(_ record: Record) -> ContainerHandle {
        ContainerHandle(id: containerId(record), name: record.name, running: Self.isAlive(record), labels: record.labels)
    }

    private func containerId(_ record: Record) -> String { "pid-\(record.pid)" }

    /// Waits for the child on a thread of its own and records its exit status.
    private func reap(_ pid: pid_t, into folder: String) {
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS, or 128 + the signal, as a shell reports it.
            let code = (status & 0x7f) == 0 ? Int((status >> 8) & 0xff) : 128 + Int(status & 0x7f)
            try? Data("\(code)\n".utf8).write(to: URL(fileURLWithPath: folder + "/exit"))
            Self.children.withLock { _ = $0.remove(pid) }
        }
    }

    /// The exit status, once the reaper has recorded it (it does so right after the exit);
    /// `nil` for a worker started by another process, whose status nobody can know.
    private func exitCode(of record: Record) async -> Int? {
        let folder = folder(of: record.name)
        guard Self.children.withLock({ $0.contains(record.pid) }) else { return Self.recordedExit(folder) }
        for _ in 0..<200 where Self.recordedExit(folder) == nil {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return Self.recordedExit(folder)
    }

    private func waitForExit(_ record: Record, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while Self.isAlive(record) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    private static func recordedExit(_ folder: String) -> Int? {
        FileManager.default.contents(atPath: folder + "/exit")
            .flatMap { Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The live process a start spawned into `folder` without recording it (its engine died
    /// in between): the leader of its own process group whose standard output is the
    /// folder's `output.log`. `nil` when no start got as far as spawning (no `output.log`).
    static func unrecordedProcess(in folder: String) -> pid_t? {
        guard let resolved = realpath(folder + "/output.log", nil) else { return nil }
        let output = String(cString: resolved)
        free(resolved)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name), getpgid(pid) == pid,
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/fd/1"), target == output,
                let stat = procStat(pid), stat.state != "Z"
            else { continue }
            return pid
        }
        return nil
    }

    /// Alive: the pid exists, is not a zombie, and started when the record says.
    static func isAlive(_ record: Record) -> Bool {
        guard let stat = procStat(record.pid), stat.state != "Z" else { return false }
        return record.startTicks == 0 || stat.startTicks == record.startTicks
    }

    static func startTicks(_ pid: pid_t) -> UInt64? { procStat(pid)?.startTicks }

    /// The state and start time of a process, from `/proc/<pid>/stat`.
    static func procStat(_ pid: pid_t) -> (state: Character, startTicks: UInt64)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name may hold spaces and parentheses: fields resume after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let ticks = UInt64(fields[19]) else { return nil }
        return (state, ticks)
    }

    static func resolve(_ program: String, path: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), which Swift's Glibc module does
    /// not import: looked up once.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Adds actions closing every descriptor above standard error in the child: at once where
    /// glibc can, else each one open now (one opened meanwhile by another thread may slip through).
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }

    /// posix_spawn in a new process group, standard output and error appended to `output`.
    static func spawn(_ executable: String, arguments: [String], environment: [String: String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the engine's process: a worker holding the service's listening socket
        // (or the log's file) would outlive it and keep a restarted service from binding its port.
        closeInheritedDescriptors(&actions)
        // A process group of its own: a stop signals the whole group, and a Ctrl-C in the
        // terminal of the engine does not reach the workers.
        // Signals as a fresh program expects them: none blocked (the calling thread may block
        // some), and the usual ones at their default action.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw ContainerRuntimeError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
