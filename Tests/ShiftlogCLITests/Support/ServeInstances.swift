#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ShiftlogCore
import ShiftlogPostgres
import ShiftlogServer
import ShiftlogStore
import Testing

/// Several `shiftlog serve` processes (the built binary) sharing one PostgreSQL log, each with
/// a data folder of its own holding a copy of one instance key, so that a worker's credential
/// is good at every instance. Workers run as local processes (`--runtime process`), each
/// instance's under its own folder, or as containers on the test's Docker daemon
/// (`--runtime docker`), which the instances share.
final class ServeInstances: @unchecked Sendable {
    /// Where the instances run their workers.
    enum Runtime: String, Sendable {
        /// Local processes, each instance's under its own folder (`<path>/workers`).
        case process
        /// Containers on the daemon `DOCKER_HOST` names, shared by the instances, labelled
        /// ``containerLabel`` (`CONTAINER_LABEL`) so that no other test's reconciliation takes
        /// them for orphans, nor theirs for this one's.
        case docker
    }

    let database: PostgresShell
    let runtime: Runtime
    let folder: String
    let paths: [String]
    let environment: [String: String]
    let credentials: WorkerCredentials
    /// The running processes, by instance; replaced by ``restart(_:)``. Only the test's task
    /// touches it.
    var services: [RunningService]
    private let log: PostgresEventLog

    var arguments: [String] { Self.arguments(runtime, database) }

    /// The `dev.shiftlog.instance` label of this cluster's workers: one for all its instances.
    var containerLabel: String { Self.containerLabel(database) }

    private static func arguments(_ runtime: Runtime, _ database: PostgresShell) -> [String] {
        ["--runtime", runtime.rawValue, "--store", database.url]
    }

    private static func containerLabel(_ database: PostgresShell) -> String { "shiftlog-test-\(database.schema)" }

    private init(
        database: PostgresShell, runtime: Runtime, folder: String, paths: [String], environment: [String: String],
        credentials: WorkerCredentials, services: [RunningService], log: PostgresEventLog
    ) {
        self.database = database
        self.runtime = runtime
        self.folder = folder
        self.paths = paths
        self.environment = environment
        self.credentials = credentials
        self.services = services
        self.log = log
    }

    /// Starts `count` instances on a fresh schema (concurrently, as a deployment would), runs
    /// `body`, and then ends every process it started (services and their workers, or their
    /// containers), drops the schema and removes the folder, whether `body` threw or not.
    static func with(
        _ count: Int = 3, runtime: Runtime = .process, environment: [String: String], _ body: (ServeInstances) async throws -> Void
    ) async throws {
        let database = try PostgresShell()
        let docker = runtime == .docker ? try DockerShell() : nil
        var settings = environment
        if runtime == .docker {
            settings["CONTAINER_LABEL"] = containerLabel(database)
            settings["WORKER_IMAGE"] = settings["WORKER_IMAGE"] ?? DockerShell.image
        }
        let environment = settings
        let folder = NSTemporaryDirectory() + "shiftlog-e2e-instances-\(UUID().uuidString)"
        let paths = (1...count).map { "\(folder)/instance-\($0)" }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // One key, copied into every instance's folder (owner-only, as InstanceKey requires).
        for path in paths { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        let key = try InstanceKey.loadOrCreate(in: paths[0])
        for path in paths.dropFirst() {
            let copy = path + "/" + InstanceKey.fileName
            try FileManager.default.copyItem(atPath: paths[0] + "/" + InstanceKey.fileName, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy)
        }
        let command = arguments(runtime, database)
        var started: [Int: RunningService] = [:]
        var failure: (any Error)?
        await withTaskGroup(of: (Int, Result<RunningService, any Error>).self) { group in
            for (index, path) in paths.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await RunningService.start(path: path, arguments: command, environment: environment)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for await (index, result) in group {
                switch result {
                case .success(let service): started[index] = service
                case .failure(let error): failure = failure ?? error
                }
            }
        }
        guard failure == nil, started.count == count else {
            for service in started.values { service.forceCleanUp() }
            for path in paths { RunningService.killWorkerProcesses(in: path) }
            await docker?.removeContainers(label: containerLabel(database))
            await database.drop()
            throw failure ?? E2EFailure("not every instance started")
        }
        let instances: ServeInstances
        do {
            instances = ServeInstances(
                database: database, runtime: runtime, folder: folder, paths: paths, environment: environment,
                credentials: WorkerCredentials(key: key), services: (0..<count).map { started[$0]! },
                log: try PostgresEventLog(url: database.url, options: .init(readOnly: true)))
        } catch {
            for service in started.values { service.forceCleanUp() }
            await database.drop()
            throw error
        }
        do {
            try await body(instances)
        } catch {
            Issue.record("instances' output:\n\(instances.outputs)")
            await instances.cleanUp()
            throw error
        }
        await instances.cleanUp()
    }

    private func cleanUp() async {
        for service in services { service.forceCleanUp() }
        // Worker processes of every instance, including one killed and restarted.
        for path in paths { RunningService.killWorkerProcesses(in: path) }
        if runtime == .docker { try? await DockerShell().removeContainers(label: containerLabel) }
        log.close()
        await database.drop()
    }

    /// What every instance printed (for a failure's record).
    var outputs: String {
        services.enumerated().map { "--- instance \($0.offset + 1) (\($0.element.outputFile)):\n\($0.element.output)" }
            .joined(separator: "\n")
    }

    /// Starts instance `index` again on its folder and the same log.
    func restart(_ index: Int) async throws {
        services[index] = try await RunningService.start(path: paths[index], arguments: arguments, environment: environment)
    }

    /// A client of each instance.
    func clients(_ http: HTTPClient, apiKey: String?) -> [ServiceClient] {
        services.map { ServiceClient(http: http, baseURL: $0.url, apiKey: apiKey) }
    }

    // MARK: The shared log, read directly

    /// Every event of the shared log, in order.
    func events() throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        while true {
            let batch = try log.read(after: all.last?.sequence ?? 0, limit: 4_096)
            all += batch
            if batch.count < 4_096 { return all }
        }
    }

    /// The projections of the whole log, and the most workers ever active at once.
    func state() throws -> (state: LifecycleState, mostActive: Int, events: [RecordedEvent]) {
        let events = try events()
        var state = LifecycleState()
        var most = 0
        for event in events {
            state.apply(event)
            most = max(most, state.activeWorkerCount)
        }
        return (state, most, events)
    }

    /// Every `leaderElected`, in order.
    func elections() throws -> [LeaderElected] {
        try events().compactMap { if case .leaderElected(let elected) = $0.event { elected } else { nil } }
    }

    /// The instance (index) whose process a `leaderElected` names (`host:pid`).
    func index(of elected: LeaderElected) -> Int? {
        services.firstIndex { elected.instance.hasSuffix(":\($0.process.processIdentifier)") }
    }

    // MARK: Worker processes

    /// The pid of the live worker process instance `index` runs for `workerId` (its process
    /// runtime's record in `<path>/workers/<id>/process.json`), if any.
    func liveWorkerProcess(of index: Int, workerId: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: "\(paths[index])/workers/\(workerId)/process.json"),
            let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let pid = record["pid"] as? Int, pid > 1
        else { return nil }
        let state = RunningService.state(of: pid_t(pid))
        return state == "gone" || state == "Z" ? nil : Int32(pid)
    }

    /// The worker ids in instance `index`'s process runtime folder whose process is alive.
    func liveWorkerProcesses(of index: Int) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(paths[index])/workers")) ?? []
        return names.filter { liveWorkerProcess(of: index, workerId: $0) != nil }.sorted()
    }
}

extension ServiceClient {
    /// The same client, without the management key: a worker calls with its credential only.
    func asWorker(_ credential: String) -> ServiceClient {
        ServiceClient(http: http, baseURL: baseURL + "/w/" + credential, apiKey: nil)
    }
}

extension ServiceClient.Answer {
    /// The `code` of an error answer.
    var code: String? { (json as? [String: Any])?["code"] as? String }
    /// A field of a JSON object answer.
    subscript(field: String) -> Any? { (json as? [String: Any])?[field] }
}
