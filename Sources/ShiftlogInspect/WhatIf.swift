public import ShiftlogCore
public import ShiftlogStore
import Synchronization

/// Re-decides a log's recorded inputs under other rules and reports which outcomes differ.
///
/// The inputs are what came from outside: items added, spawns, registrations, heartbeats,
/// completions, failures, stuck reports, manual kills, lock calls and the container
/// outcomes, each at its recorded time and with its recorded ids. The orchestrator's own
/// decisions are re-made: a health check runs wherever the log shows the orchestrator's loop
/// ran one (at each heartbeat-timeout kill and before each spawn), killing whatever is stale
/// under the new rules; so are the graces (a cancel's, a reported end's) and the time limits
/// (an item's deadline, a worker's attempt timeout), wherever the log shows one run out and
/// before each spawn. With the recorded rules, the what-if reproduces
/// the log. Spawns happen when
/// they happened: the what-if never invents a spawn, but a spawn the new rules refuse is
/// reported. Inputs that were refused in production were never recorded, so what a worker
/// would have done after a kill that no longer happens is unknown: the report says so.
///
/// Runs entirely in memory through ShiftlogCore's `decide(_:state:context:)`; the log is only
/// read.
public struct WhatIf: Sendable, Codable {
    /// One input whose outcome differs.
    public struct Difference: Sendable, Codable {
        /// The first event the input recorded.
        public var sequence: UInt64
        /// When it was recorded.
        public var time: Timestamp
        /// The input, e.g. `heartbeat worker-3 iteration 7` or `health check`.
        public var input: String
        /// The types of the events it recorded, comma-separated.
        public var recorded: String
        /// What the new rules make of it: event types, `nothing`, or `refused (<code>): <message>`.
        public var whatIf: String
    }

    /// A work item whose final status differs.
    public struct ItemOutcome: Sendable, Codable {
        /// The item.
        public var workItemId: WorkItemID
        /// Its final status in the log, e.g. `completed` or `failed after 3 retries`.
        public var recorded: String
        /// Its final status under the new rules, or `never added`.
        public var whatIf: String
    }

    /// The rules recorded in the log (whim's defaults when none is).
    public var baseline: LifecycleConfiguration
    /// The rules the inputs were decided by: the baseline with the change applied.
    public var configuration: LifecycleConfiguration
    /// Inputs re-decided.
    public var inputs: Int
    /// Heartbeat-timeout kills in the log that the new rules would not make.
    public var killsAvoided: [String]
    /// Kills the new rules would make that the log does not have.
    public var newKills: [String]
    /// The inputs whose outcome differs, in log order.
    public var differences: [Difference]
    /// The items whose final status differs, by id.
    public var items: [ItemOutcome]

    /// Runs the what-if. `change` edits the configuration recorded in the log (or whim's
    /// defaults when none is recorded).
    public static func run(
        _ log: any EventLog, through end: UInt64? = nil, change: (inout LifecycleConfiguration) -> Void
    ) throws -> WhatIf {
        // Group the log into the commands that wrote it.
        var groups: [[RecordedEvent]] = []
        var recordedState = LifecycleState()
        var baseline: LifecycleConfiguration?
        let last = try min(end ?? .max, log.lastSequence())
        try log.scan(through: last) { batch in
            for event in batch {
                recordedState.apply(event)
                if case .configurationRecorded(let e) = event.event, baseline == nil { baseline = e.lifecycle }
                if let tail = groups.last?.last, tail.correlationId == event.correlationId, tail.causationId == event.causationId {
                    groups[groups.count - 1].append(event)
                } else {
                    groups.append([event])
                }
            }
            return true
        }
        let base = baseline ?? LifecycleConfiguration()
        var configuration = base
        change(&configuration)

        var state = LifecycleState()
        let ids = ReplayedIDs()
        var differences: [Difference] = []
        var killsAvoided: [String] = []
        var newKills: [String] = []
        var inputs = 0
        var vanished: Set<WorkerID> = []  // workers the what-if never created or already ended

        func apply(_ events: [Event], at time: Timestamp) {
            _ = state.record(events, at: time, correlationId: "what-if")
        }
        func healthCheck(at time: Timestamp) {
            for worker in state.staleWorkers(at: time, configuration) {
                let context = DecisionContext(now: time, ids: ids, configuration: configuration)
                guard let decision = try? decide(.kill(workerId: worker.id, reason: "heartbeat timeout"), state: state, context: context) else { continue }
                apply(decision.events, at: time)
                newKills.append("\(worker.id) at \(time.iso8601), \(Elapsed.text(time.milliseconds(since: worker.lastHeartbeat))) after its last heartbeat")
            }
        }

        /// The loop's time-limit decisions at `time`: workers whose cancel's grace ran out are
        /// stopped, end graces that elapsed are marked, items past their deadline end, workers
        /// past their attempt timeout are killed. Returns the workers and items each decided for.
        func loopChecks(at time: Timestamp) -> Set<String> {
            var decided: Set<WorkerID> = []
            let context = DecisionContext(now: time, ids: ids, configuration: configuration)
            for (worker, request) in state.cancelRequests.sorted(by: { $0.key < $1.key }) where request.stopDueAt <= time {
                guard let decision = try? decide(.expireCancelGrace(workerId: worker), state: state, context: context) else { continue }
                apply(decision.events, at: time)
                decided.insert(worker)
            }
            for (worker, ended) in state.awaitingExit.sorted(by: { $0.key < $1.key })
            where ended.adding(seconds: configuration.endGraceSeconds) <= time {
                guard let decision = try? decide(.expireEndGrace(workerId: worker), state: state, context: context) else { continue }
                apply(decision.events, at: time)
                decided.insert(worker)
            }
            for item in state.itemsPastDeadline(at: time, configuration) {
                guard let decision = try? decide(.expireDeadline(workItemId: item.id), state: state, context: context) else { continue }
                apply(decision.events, at: time)
                decided.insert(item.id)
            }
            for worker in state.workersPastAttemptTimeout(at: time, configuration) {
                guard let decision = try? decide(.expireAttempt(workerId: worker.id), state: state, context: context) else { continue }
                apply(decision.events, at: time)
                decided.insert(worker.id)
            }
            return decided
        }

        for group in groups {
            guard let first = group.first else { continue }
            let time = first.time
            let recordedKinds = group.map(\.type.rawValue).joined(separator: ", ")
            // A grace's expiry is the loop's decision too: re-made at the time it was made.
            if first.type == .cancelGraceExpired || first.type == .endGraceElapsed, let worker = first.event.workerId {
                let wasPending = state.cancelRequests[worker] != nil || state.awaitingExit[worker] != nil
                if !loopChecks(at: time).contains(worker), wasPending {
                    differences.append(Difference(
                        sequence: first.sequence, time: time, input: "grace check", recorded: recordedKinds,
                        whatIf: "\(worker)'s grace has not run out (cancel grace \(configuration.cancelGraceSeconds) s, end grace \(configuration.endGraceSeconds) s)"))
                }
                continue
            }
            // So are the time limits: an item's deadline, a worker's attempt timeout.
            if case .workItemDeadlinePassed(let e) = first.event {
                let wasOpen = state.workItems[e.workItemId].map { !$0.isTerminal } ?? false
                if !loopChecks(at: time).contains(e.workItemId), wasOpen {
                    differences.append(Difference(
                        sequence: first.sequence, time: time, input: "deadline check", recorded: recordedKinds,
                        whatIf: "\(e.workItemId) is within its deadline"))
                }
                continue
            }
            if case .workerKilled(let e) = first.event, e.reason == "attempt timeout" {
                let wasActive = state.workers[e.workerId]?.status.isActive == true
                if !loopChecks(at: time).contains(e.workerId), wasActive {
                    differences.append(Difference(
                        sequence: first.sequence, time: time, input: "attempt check", recorded: recordedKinds,
                        whatIf: "\(e.workerId) is within its attempt timeout; not killed"))
                }
                continue
            }
            // A heartbeat-timeout kill is the orchestrator's decision: re-made, not replayed.
            if case .workerKilled(let e) = first.event, e.reason == "heartbeat timeout" {
                let before = newKills.count
                let wasActive = state.workers[e.workerId]?.status.isActive == true
                healthCheck(at: time)
                if let index = newKills[before...].firstIndex(where: { $0.hasPrefix(e.workerId + " ") }) {
                    newKills.remove(at: index)  // the same kill, at the same time: no difference
                } else if wasActive {
                    killsAvoided.append("\(e.workerId) at #\(first.sequence) (\(time.iso8601))")
                    differences.append(Difference(
                        sequence: first.sequence, time: time, input: "health check", recorded: "killed \(e.workerId): heartbeat timeout",
                        whatIf: "\(e.workerId) is not stale (threshold \(configuration.staleThresholdSeconds(for: state.workers[e.workerId]?.mode ?? .execution))s); not killed"))
                }
                continue
            }
            guard let command = Self.command(for: group) else { continue }
            inputs += 1
            if case .spawn = command {
                _ = loopChecks(at: time)
                healthCheck(at: time)
            }
            ids.load(Self.newIds(in: group))
            let context = DecisionContext(now: time, ids: ids, configuration: configuration)
            let whatIfKinds: String
            do {
                let decision = try decide(command, state: state, context: context)
                apply(decision.events, at: time)
                whatIfKinds = decision.events.map(\.type.rawValue).joined(separator: ", ")
            } catch {
                whatIfKinds = "refused (\(error.code.description)): \(error.message)"
                if let worker = first.event.workerId {
                    if vanished.contains(worker) { continue }  // reported once per worker
                    vanished.insert(worker)
                }
            }
            if whatIfKinds != recordedKinds {
                differences.append(Difference(
                    sequence: first.sequence, time: time, input: Self.describe(command), recorded: recordedKinds,
                    whatIf: whatIfKinds.isEmpty ? "nothing" : whatIfKinds))
            }
        }

        var items: [ItemOutcome] = []
        for (id, item) in recordedState.workItems.sorted(by: { $0.key < $1.key }) {
            let recorded = Self.status(item)
            let whatIf = state.workItems[id].map(Self.status) ?? "never added"
            if recorded != whatIf { items.append(ItemOutcome(workItemId: id, recorded: recorded, whatIf: whatIf)) }
        }
        return WhatIf(
            baseline: base, configuration: configuration, inputs: inputs, killsAvoided: killsAvoided, newKills: newKills,
            differences: differences, items: items)
    }

    private static func status(_ item: WorkItem) -> String {
        switch item.status {
        case .queued where item.retryCount > 0: "queued (retry \(item.retryCount))"
        case .failed: "failed after \(item.retryCount) retries"
        default: item.status.rawValue
        }
    }

    /// The command that wrote a group of events, rebuilt from its first event.
    static func command(for group: [RecordedEvent]) -> Command? {
        guard let first = group.first else { return nil }
        switch first.event {
        case .workItemAdded(let e):
            return .addWorkItem(NewWorkItem(
                repo: e.repo, branch: e.branch, spec: e.spec, description: e.description, type: e.type, priority: e.priority,
                maxIterations: e.maxIterations, source: e.source, sourceRef: e.sourceRef, metadata: e.metadata,
                policy: e.policy))
        case .workItemRetriedNow(let e): return .retryWorkItem(e.workItemId, requestedBy: e.requestedBy)
        case .workItemPriorityChanged(let e): return .changePriority(e.workItemId, e.priority, requestedBy: e.requestedBy)
        case .workItemAssigned: return .assignNext
        case .workItemCancelled(let e):
            // A running item's cancel ends with its worker's end: that end is the input.
            return e.workerId == nil ? .cancelWorkItem(e.workItemId, reason: e.reason) : nil
        case .cancelRequested(let e): return .cancelWorkItem(e.workItemId, reason: e.reason)
        case .containerExited(let e):
            return .recordContainerExited(workerId: e.workerId, containerId: e.containerId, exitCode: e.exitCode, logTail: e.logTail)
        case .workItemRequeued(let e): return .requeueWorkItem(e.workItemId)
        case .workerSpawned(let e): return .spawn(workItemId: e.workItemId, mode: e.mode)
        case .workerRegistered(let e): return .register(workItemId: e.workItemId)
        case .heartbeatRecorded(let e):
            return .heartbeat(workerId: e.workerId, Heartbeat(iteration: e.iteration, status: e.status, tokensIn: e.tokensIn, tokensOut: e.tokensOut))
        case .workerCompleted(let e):
            let verifies = group.contains { if case .workItemAdded(let a) = $0.event { a.type == .verification } else { false } }
            return .complete(workerId: e.workerId, Completion(
                prUrl: e.prUrl, prNumber: e.prNumber, verificationEnabled: verifies ? true : nil,
                verificationPassed: e.verificationPassed, review: e.review, metrics: e.metrics, learnings: e.learnings))
        case .workerFailed(let e):
            var message = e.error
            if let category = e.category, message.hasPrefix("[\(category.rawValue)] ") {
                message.removeFirst(category.rawValue.count + 3)
            }
            return .fail(workerId: e.workerId, Failure(error: message, iteration: e.iteration, category: e.category))
        case .workerStuck(let e): return .stuck(workerId: e.workerId, reason: e.reason, attempts: e.attempts)
        case .workerKilled(let e): return .kill(workerId: e.workerId, reason: e.reason)
        case .containerStarted(let e):
            return .recordContainerStarted(workerId: e.workerId, containerId: e.containerId, environment: e.environment)
        case .workerSpawnFailed(let e): return .recordSpawnFailure(workerId: e.workerId, reason: e.reason)
        case .containerStopped(let e):
            return .recordContainerStopped(workerId: e.workerId, containerId: e.containerId, found: e.found, exitCode: e.exitCode, logTail: e.logTail)
        case .containerStopFailed(let e): return .recordStopFailure(workerId: e.workerId, reason: e.reason)
        case .workerLost(let e): return .recordWorkerLost(workerId: e.workerId, reason: e.reason)
        case .orphanContainerRemoved(let e): return .recordOrphanRemoved(e)
        case .accessRefused(let e): return .recordAccessRefused(e)
        case .leaderElected(let e): return .electLeader(instance: e.instance)
        case .effectAbandoned(let e): return .recordEffectAbandoned(e)
        case .locksAcquired(let e): return .acquireLocks(workerId: e.workerId, repo: e.repo, files: e.paths)
        case .locksReleased(let e):
            guard let repo = e.locks.first?.repo else { return nil }
            return .releaseLocks(workerId: e.workerId, repo: repo, files: e.locks.filter { $0.repo == repo }.map(\.path))
        // The loop's grace decisions are re-made, not replayed (see `run`).
        case .workItemRetryScheduled, .workItemFailed, .verificationRecorded, .configurationRecorded, .cancelGraceExpired,
            .endGraceElapsed, .workItemDeadlinePassed:
            return nil
        }
    }

    /// The ids a command created, in the order its decision asked for them.
    static func newIds(in group: [RecordedEvent]) -> [String] {
        group.compactMap { event in
            switch event.event {
            case .workItemAdded(let e): e.workItemId
            case .workerSpawned(let e): e.workerId
            case .workerRegistered(let e) where e.created: e.workerId
            default: nil
            }
        }
    }

    static func describe(_ command: Command) -> String {
        switch command {
        case .addWorkItem(let item): "add \(item.repo)"
        case .assignNext: "queue next"
        case .cancelWorkItem(let id, let reason): "cancel \(id)" + (reason.map { ": \($0)" } ?? "")
        case .cancelWorkItems(let filter, _):
            "cancel every item" + (filter.repo.map { " of \($0)" } ?? "") + (filter.type.map { " (\($0.rawValue))" } ?? "")
                + (filter.statuses.map { " " + $0.map(\.rawValue).sorted().joined(separator: "/") } ?? "")
        case .expireCancelGrace(let worker): "stop \(worker) after its cancel grace"
        case .expireEndGrace(let worker): "end grace of \(worker) elapsed"
        case .recordContainerExited(let worker, _, _, _): "container of \(worker) exited by itself"
        case .requeueWorkItem(let id): "requeue \(id)"
        case .retryWorkItem(let id, let by): "retry \(id) now (\(by))"
        case .changePriority(let id, let priority, let by): "priority of \(id) to \(priority.rawValue) (\(by))"
        case .expireAttempt(let worker): "kill \(worker) past its attempt timeout"
        case .expireDeadline(let id): "end \(id) past its deadline"
        case .spawn(let id, let mode): "spawn for \(id)" + (mode.map { " (\($0.rawValue))" } ?? "")
        case .spawnNext: "spawn next"
        case .register(let id): "register for \(id)"
        case .heartbeat(let worker, let beat): "heartbeat \(worker) iteration \(beat.iteration)"
        case .complete(let worker, _): "complete \(worker)"
        case .fail(let worker, let failure): "fail \(worker): \(failure.error)"
        case .stuck(let worker, let reason, _): "stuck \(worker): \(reason)"
        case .kill(let worker, let reason): "kill \(worker): \(reason)"
        case .killIfStale(let worker): "kill \(worker) if stale"
        case .expireStart(let worker, let deadline): "expire the start of \(worker) (\(deadline) s)"
        case .acquireLocks(let worker, let repo, let files): "lock \(worker) \(repo): \(files.joined(separator: ", "))"
        case .releaseLocks(let worker, let repo, let files): "unlock \(worker) \(repo): \(files.joined(separator: ", "))"
        case .releaseAllLocks(let worker): "unlock all \(worker)"
        case .recordContainerStarted(let worker, _, _): "container of \(worker) started"
        case .recordSpawnFailure(let worker, _): "container of \(worker) failed to start"
        case .recordContainerStopped(let worker, _, _, _, _): "container of \(worker) stopped"
        case .recordStopFailure(let worker, _): "container of \(worker) failed to stop"
        case .recordWorkerLost(let worker, let reason): "\(worker) lost: \(reason)"
        case .recordOrphanRemoved(let orphan): "orphan container \(orphan.containerName) removed"
        case .recordEffectAbandoned(let e): "\(e.handler) gave up the effect of event \(e.sequence)"
        case .recordConfiguration: "record configuration"
        case .recordAccessRefused(let refusal): "refuse \(refusal.route): \(refusal.reason)"
        case .electLeader(let instance): "elect \(instance) leader"
        }
    }
}

/// Hands out the ids the recorded command created, so that later inputs find their worker;
/// then fresh `what-if-N` ids if the new rules ask for more.
final class ReplayedIDs: IDSource {
    private let queue = Mutex<(ids: [String], fresh: Int)>(([], 0))

    func load(_ ids: [String]) { queue.withLock { $0.ids = ids } }

    func next(_ kind: IDKind) -> String {
        queue.withLock { queue in
            if !queue.ids.isEmpty { return queue.ids.removeFirst() }
            queue.fresh += 1
            return "what-if-\(kind.rawValue)-\(queue.fresh)"
        }
    }
}
