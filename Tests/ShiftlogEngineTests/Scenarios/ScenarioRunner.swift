import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogStore

/// Runs a ``ScenarioScript`` against a real engine on a real LMDB log in a temporary folder,
/// with a manual clock, sequential ids and the in-memory runtime, and reports what happened.
///
/// After every step it waits for the effect handlers to settle (no sleeping), so effect
/// outcomes land in a deterministic order.
final class ScenarioRunner {
    let script: ScenarioScript
    let folder: String
    let clock: ManualTimeSource
    let ids = SequentialIDs()
    let runtime = InMemoryContainerRuntime()
    private(set) var engine: Engine
    private var effectHanging = false
    private var records: [StepRecord] = []
    /// The option keys the current step's verb has looked at: any other key is a typo.
    private var optionsRead: Set<String> = []

    init(_ script: ScenarioScript) throws {
        self.script = script
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("shiftlog-scenario-\(UUID().uuidString)").path
        clock = ManualTimeSource(script.start)
        engine = try Engine.open(
            path: folder, runtime: runtime, configuration: script.configuration, clock: clock, ids: ids,
            metrics: MetricsHandler(factory: NoMetrics()))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs every step; returns the report.
    func run() async throws -> ScenarioReport {
        let trace = ProcessInfo.processInfo.environment["SHIFTLOG_SCENARIO_TRACE"] != nil
        for step in script.steps {
            if trace { FileHandle.standardError.write(Data("[\(script.title)] \(step.text)\n".utf8)) }
            clock.set(script.start.adding(seconds: step.offsetSeconds))
            let outcome: JSONValue
            optionsRead = []
            do {
                outcome = try await perform(step)
            } catch let error as LifecycleError {
                outcome = .object(["error": .object(["code": .string(error.code.description), "message": .string(error.message)])])
            }
            let unknown = Set(step.options.keys).subtracting(optionsRead)
            guard unknown.isEmpty else {
                throw StepError(step, "'\(step.verb)' does not take \(unknown.sorted().map { "\($0)=" }.joined(separator: ", "))")
            }
            records.append(StepRecord(at: clock.now(), step: step.text, outcome: outcome))
            if !effectHanging {
                try await engine.settle()
            } else if ["spawn", "spawn-next", "tick"].contains(step.verb) {
                // The hung start must have begun before the story goes on, or a later step
                // (the start deadline) could end the worker before its start was ever tried.
                await runtime.waitUntilHanging()
            }
        }
        let events = try engine.log.read(after: 0, limit: .max)
        return ScenarioReport(
            title: script.title, steps: records, events: events, state: ProjectionDocument(engine.state),
            runtime: RuntimeReport(runtime))
    }

    func close() async {
        await engine.close()
    }

    private func perform(_ step: ScenarioScript.Step) async throws -> JSONValue {
        func arg(_ index: Int = 0) throws -> String {
            guard index < step.positional.count else { throw StepError(step, "missing argument \(index + 1)") }
            return step.positional[index]
        }
        func option(_ key: String) -> String? {
            optionsRead.insert(key)
            return step.options[key]
        }
        func int(_ key: String) throws -> Int? {
            guard let text = option(key) else { return nil }
            guard let value = Int(text) else { throw StepError(step, "\(key) wants a whole number") }
            return value
        }
        func bool(_ key: String) -> Bool? { option(key).map { $0 == "true" } }
        /// An add's policy: `maxRetries=`, `schedule=60,300`, `exponential=initial,factor‰,max`,
        /// `jitter=‰`, `nonRetryable=A,B`, `attemptTimeoutSeconds=`, `deadlineSeconds=`.
        func policy() throws -> WorkItemPolicy? {
            func numbers(_ key: String) throws -> [Int64]? {
                guard let text = option(key) else { return nil }
                let values = text.split(separator: ",").compactMap { Int64($0) }
                guard !values.isEmpty else { throw StepError(step, "\(key) wants whole numbers") }
                return values
            }
            var backoff = try numbers("schedule").map(RetryBackoff.schedule)
            if let parts = try numbers("exponential") {
                guard parts.count == 3 else { throw StepError(step, "exponential wants initial,factor‰,max") }
                backoff = .exponential(initialSeconds: parts[0], factorPerMille: parts[1], maxSeconds: parts[2])
            }
            let retry = RetryPolicy(
                maxRetries: try int("maxRetries"), backoff: backoff, jitterPerMille: try int("jitter").map(Int64.init),
                nonRetryable: option("nonRetryable").map { $0.split(separator: ",").compactMap { FailureCategory(rawValue: String($0)) } })
            let policy = WorkItemPolicy(
                retry: retry, attemptTimeoutSeconds: try int("attemptTimeoutSeconds").map(Int64.init),
                deadlineSeconds: try int("deadlineSeconds").map(Int64.init))
            return policy.isEmpty ? nil : policy
        }
        func files() -> [String] { option("files")?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? [] }

        switch step.verb {
        case "add":
            let item = try await engine.queue.add(NewWorkItem(
                repo: option("repo") ?? "", branch: option("branch"), spec: option("spec"),
                description: option("description"), type: option("type").flatMap(WorkItemType.init) ?? .execution,
                priority: option("priority").flatMap(Priority.init) ?? .medium, maxIterations: try int("maxIterations"),
                policy: try policy()))
            return ["workItemId": .string(item.id), "status": .string(item.status.rawValue)]
        case "retry":
            return .string(try await engine.queue.retry(try arg(), requestedBy: option("by") ?? "scenario").status.rawValue)
        case "priority":
            guard let priority = Priority(rawValue: try arg(1)) else { throw StepError(step, "unknown priority") }
            let item = try await engine.queue.changePriority(try arg(), to: priority, requestedBy: option("by") ?? "scenario")
            return .string(item.priority.rawValue)
        case "expire-limits":
            let ended = try await engine.expireDeadlines().map { JSONValue.string($0) }
            let killed = try await engine.expireAttempts().map { JSONValue.string($0.id) }
            return ["pastDeadline": .array(ended), "timedOut": .array(killed)]
        case "next":
            return try await engine.queue.next().map { .string($0.id) } ?? .null
        case "cancel":
            let outcome = try await engine.cancel(itemId: try arg(), reason: option("reason"))
            return ["status": .string(outcome.item.status.rawValue), "cancel": try outcome.request.map(json) ?? .null]
        case "cancel-matching":
            let filter = WorkItemFilter(
                statuses: option("status").map { Set($0.split(separator: ",").compactMap { WorkItemStatus(rawValue: String($0)) }) },
                repo: option("repo"), type: option("type").flatMap(WorkItemType.init))
            return .array(try await engine.queue.cancel(matching: filter, reason: option("reason")).map { .string($0) })
        case "expire-graces":
            let stopped = try await engine.expireCancelGraces().map { JSONValue.string($0.id) }
            let ended = try await engine.expireEndGraces().map { JSONValue.string($0) }
            return ["cancelStopped": .array(stopped), "endGraces": .array(ended)]
        case "requeue":
            return .string(try await engine.queue.requeue(try arg()).status.rawValue)
        case "spawn":
            let worker = try await engine.spawn(
                workItemId: try arg(), mode: option("mode").flatMap(SpawnMode.init))
            return ["workerId": .string(worker.id), "status": .string(worker.status.rawValue)]
        case "spawn-next":
            return try await engine.spawnNext().map { .string($0.id) } ?? .null
        case "register":
            let (workerId, item) = try await engine.register(workItemId: try arg())
            return ["workerId": .string(workerId), "workItemStatus": .string(item.status.rawValue)]
        case "heartbeat":
            let cancel = try await engine.heartbeat(
                workerId: try arg(), Heartbeat(iteration: try int("iteration") ?? 0, status: option("status"),
                    tokensIn: try int("tokensIn"), tokensOut: try int("tokensOut")))
            return try cancel.map { ["cancel": try json($0)] } ?? "ok"
        case "complete":
            let metrics = option("duration") == nil && option("tokensIn") == nil ? nil
                : WorkerMetrics(tokensIn: try int("tokensIn"), tokensOut: try int("tokensOut"), duration: try int("duration"),
                    filesModified: try int("filesModified"), testsRun: try int("testsRun"), testsPassed: try int("testsPassed"))
            try await engine.complete(workerId: try arg(), Completion(
                prUrl: option("prUrl"), prNumber: try int("prNumber"), verificationEnabled: bool("verificationEnabled"),
                verificationPassed: bool("verificationPassed"),
                review: option("reviewModel").map { Review(modelUsed: $0, findings: .array([])) }, metrics: metrics,
                learnings: option("learning").map { [Learning(content: $0, spec: option("spec"))] } ?? []))
            return "ok"
        case "fail":
            try await engine.fail(
                workerId: try arg(), error: option("error") ?? "", iteration: try int("iteration") ?? 0,
                stack: option("stack"), category: option("category").flatMap(FailureCategory.init))
            return "ok"
        case "stuck":
            try await engine.stuck(workerId: try arg(), reason: option("reason") ?? "", attempts: try int("attempts") ?? 0)
            return "ok"
        case "kill":
            try await engine.kill(workerId: try arg(), reason: option("reason") ?? "killed")
            return "ok"
        case "health-check":
            return .array(engine.healthCheck().map { .string($0.id) })
        case "has-capacity":
            return try json(engine.hasCapacity())
        case "tick":
            // Engine.tick's kill and spawn phases (expiring starts is the expire-starts verb),
            // with the kills' effects settled in between so that their outcomes land before
            // the spawns in every run.
            let killed = try await engine.killStale().map { JSONValue.string($0.id) }
            try await engine.settle()
            let spawned = try await engine.spawnReady().map { JSONValue.string($0.id) }
            return ["killed": .array(killed), "spawned": .array(spawned)]
        case "lock":
            return try json(try await engine.locks.acquire(workerId: try arg(), repo: option("repo") ?? "", files: files()))
        case "unlock":
            try await engine.locks.release(workerId: try arg(), repo: option("repo") ?? "", files: files())
            return "ok"
        case "unlock-all":
            try await engine.locks.releaseAll(workerId: try arg())
            return "ok"
        case "holder":
            return engine.locks.holder(repo: option("repo") ?? "", path: try arg()).map { .string($0.workerId) } ?? .null
        case "logs":
            return .array(try await engine.getLogs(workerId: try arg(), lines: try int("lines") ?? 1_000).map { .string($0) })
        case "list":
            return .array(engine.list().map { .string("\($0.id) \($0.status.rawValue)") })
        case "stats":
            return try json(engine.getStats())
        case "queue":
            return .array(engine.queue.list(status: option("status").flatMap(WorkItemStatus.init)).map { .string($0.id) })
        case "concurrently":
            return try await concurrently(step)
        case "restart":
            if effectHanging { await runtime.waitUntilHanging() }
            await engine.close()
            engine = try Engine.open(
                path: folder, runtime: runtime, configuration: script.configuration, clock: clock, ids: ids,
                metrics: MetricsHandler(factory: NoMetrics()))
            effectHanging = false
            return "reopened"
        case "runtime.start":
            if option("fail") != nil { runtime.scriptStarts(.fail(option("fail")!)) }
            if step.positional.first == "hang" {
                runtime.scriptStarts(.hang)
                effectHanging = true
            }
            return "scripted"
        case "runtime.stop":
            runtime.scriptStops(.fail(option("fail") ?? "stop failed"))
            return "scripted"
        case "runtime.emit":
            let count = try int("lines") ?? 1
            runtime.emit((1...max(count, 1)).map { "line \($0)" }, from: try arg())
            return .integer(Int64(count))
        case "runtime.exit":
            runtime.exit(try arg(), code: try int("code") ?? 1)
            return "exited"
        case "runtime.plant":
            let name = try arg()
            runtime.plant(ContainerSpec(
                name: name, image: script.configuration.workerImage, environment: [:],
                labels: [ContainerLabel.workerId: name, ContainerLabel.instance: option("instance") ?? script.configuration.instanceName],
                limits: ContainerLimits()))
            return "planted"
        case "reconcile":
            let report = try await engine.reconcile()
            return ["lost": .array(report.lost.map { .string($0) }), "orphansRemoved": .array(report.orphansRemoved.map { .string($0) })]
        case "expire-starts":
            return .array(try await engine.expireStarts().map { .string($0.id) })
        case "runtime.vanish":
            runtime.vanish(try arg())
            return "vanished"
        default:
            throw StepError(step, "unknown command '\(step.verb)'")
        }
    }

    /// `concurrently N <command>`: N copies of a command at once; reports counts by outcome.
    private func concurrently(_ step: ScenarioScript.Step) async throws -> JSONValue {
        guard let count = step.positional.first.flatMap(Int.init), step.positional.count >= 2 else {
            throw StepError(step, "use 'concurrently N spawn-next' or 'concurrently N spawn ITEM'")
        }
        let engine = self.engine
        let command = step.positional[1]
        let target = step.positional.count > 2 ? step.positional[2] : ""
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        if command == "spawn" { _ = try await engine.spawn(workItemId: target) } else { _ = try await engine.spawnNext() }
                        return "succeeded"
                    } catch let error as LifecycleError {
                        return error.code.description
                    } catch {
                        return "unexpected: \(error)"
                    }
                }
            }
            var counts: [String: JSONValue] = [:]
            for await outcome in group {
                if case .integer(let n) = counts[outcome] { counts[outcome] = .integer(n + 1) } else { counts[outcome] = .integer(1) }
            }
            return counts
        }
        return .object(outcomes)
    }
}

struct StepError: Error, CustomStringConvertible {
    var description: String
    init(_ step: ScenarioScript.Step, _ message: String) {
        description = "line \(step.line) ('\(step.text)'): \(message)"
    }
}

/// What a scenario did: each step's outcome, the whole log, the final projections and what
/// the runtime holds. Written as the scenario's golden JSON.
struct ScenarioReport: Encodable {
    var title: String
    var steps: [StepRecord]
    var events: [RecordedEvent]
    var state: ProjectionDocument
    var runtime: RuntimeReport
}

struct StepRecord: Encodable {
    var at: Timestamp
    var step: String
    var outcome: JSONValue
}

/// The in-memory runtime's containers, with environment variable names (values may be
/// secrets) and `WORKER_MODE`'s value.
struct RuntimeReport: Encodable {
    struct Container: Encodable {
        var name: String
        var id: String
        var image: String
        var running: Bool
        var environment: [String]
        var workerMode: String?
        var labels: [String: String]
    }

    var containers: [Container]
    var created: Int
    var startCalls: Int
    var stopCalls: Int

    init(_ runtime: InMemoryContainerRuntime) {
        containers = runtime.containers.values.sorted { $0.spec.name < $1.spec.name }.map {
            Container(
                name: $0.spec.name, id: $0.id, image: $0.spec.image, running: $0.running,
                environment: $0.spec.environment.keys.sorted(), workerMode: $0.spec.environment["WORKER_MODE"],
                labels: $0.spec.labels)
        }
        created = runtime.createdCount
        startCalls = runtime.startCalls
        stopCalls = runtime.stopCalls
    }
}

/// Any encodable value as a ``JSONValue``.
func json(_ value: some Encodable) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: CanonicalJSON.compactEncoder().encode(value))
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(uniqueKeysWithValues: elements))
    }
}
