/// Something asked of the lifecycle, in the imperative. ``decide(_:state:context:)`` turns a
/// command into events, or refuses it with a ``LifecycleError``.
public enum Command: Sendable, Hashable {
    // Queue
    /// Queues a new item (or, for a known idempotency key, answers with the earlier one).
    /// Replies ``Decision/Reply/workItem(_:)``.
    case addWorkItem(NewWorkItem)
    /// Hands out the item `next` would pick (`assigned`), or replies
    /// ``Decision/Reply/noWorkItem``.
    case assignNext
    /// Cancels an item: a `queued` or `assigned` one ends `cancelled` at once; a running one's
    /// worker is asked to end (``CancelRequested``) and is stopped if it has not ended within
    /// ``LifecycleConfiguration/cancelGraceSeconds``. A repeat while the cancel is under way,
    /// or once the item is cancelled, appends nothing. Refused `workItemEnded` for an item that
    /// completed or failed. `reason`: the caller's, if any. Replies ``Decision/Reply/workItem(_:)``.
    case cancelWorkItem(WorkItemID, reason: String? = nil)
    /// Cancels every item that matches `filter` and has not ended, each as
    /// ``cancelWorkItem(_:reason:)`` would, in one decision. Replies
    /// ``Decision/Reply/workItems(_:)`` with the items whose cancel it recorded.
    case cancelWorkItems(WorkItemFilter, reason: String? = nil)
    /// Puts a finished item back in the queue with its retries reset; refused `invalidState`
    /// while it is not finished.
    case requeueWorkItem(WorkItemID)
    /// Runs an item again now: a `failed` or `cancelled` one goes back to the queue with a
    /// fresh retry count; a `queued` one waiting for its backoff becomes due. A queued item
    /// already due appends nothing. Refused `invalidState` for an item that is assigned,
    /// running or completed. `requestedBy`: who asked. Replies ``Decision/Reply/workItem(_:)``.
    case retryWorkItem(WorkItemID, requestedBy: String)
    /// Changes the priority of a `queued` or `assigned` item (the queue order follows); the
    /// same priority appends nothing. Refused `invalidState` for an item that is running or
    /// ended. Replies ``Decision/Reply/workItem(_:)``.
    case changePriority(WorkItemID, Priority, requestedBy: String)
    // Workers
    /// Spawns a worker for a `queued` or `assigned` item whose retry time has come; refused
    /// when capacity, cooldown or budget says no. `mode`: `nil` for the one the item's type
    /// calls for; a mode that contradicts the type is refused. Replies
    /// ``Decision/Reply/worker(_:)``.
    case spawn(workItemId: WorkItemID, mode: SpawnMode?)
    /// Spawns a worker for the item `next` would pick, or replies
    /// ``Decision/Reply/noWorkItem``. Refused when capacity, cooldown or budget says no.
    case spawnNext
    /// A worker announces itself for an item: the item's active worker becomes `running`, or,
    /// with none, a new one is made on the spot (refused at capacity).
    case register(workItemId: WorkItemID)
    /// An active worker reports progress.
    case heartbeat(workerId: WorkerID, Heartbeat)
    /// An active worker finished its item; may queue a verification item or record a verdict.
    case complete(workerId: WorkerID, Completion)
    /// An active worker reports a failure; its item follows the retry rules.
    case fail(workerId: WorkerID, Failure)
    /// An active worker gives up after `attempts`; its item follows the retry rules.
    case stuck(workerId: WorkerID, reason: String, attempts: Int)
    /// Kills an active worker (`reason` empty: `killed`); its item follows the retry rules, or
    /// fails if its iterations are used up.
    case kill(workerId: WorkerID, reason: String)
    /// The loop's kill: decided on the state in the writer, so a heartbeat that lands first
    /// spares the worker (refused `invalidState` when it is no longer stale).
    case killIfStale(workerId: WorkerID)
    /// The loop's give-up of a start past its deadline, decided on the state in the writer:
    /// refused when the worker has a container or is no longer starting by then.
    case expireStart(workerId: WorkerID, deadlineSeconds: Int64)
    /// The loop's stop of a worker that has not ended within its cancel's grace, decided on
    /// the state in the writer: refused when the worker ended meanwhile or its grace has not
    /// run out.
    case expireCancelGrace(workerId: WorkerID)
    /// The loop's word that a worker which reported its end has had its end grace
    /// (``LifecycleConfiguration/endGraceSeconds``): its container is stopped if it still
    /// runs. Refused when its container's end is already recorded or the grace has not run out.
    case expireEndGrace(workerId: WorkerID)
    /// The loop's kill of a worker that has run on its item past the item's attempt timeout
    /// (``WorkItemPolicy/attemptTimeoutSeconds``, or the server's): killed with the reason
    /// `attempt timeout`, its item retried per its rules. Refused when the worker ended
    /// meanwhile or its time has not run out.
    case expireAttempt(workerId: WorkerID)
    /// The loop's end of an item whose deadline passed (``WorkItemPolicy/deadlineSeconds``,
    /// or the server's): it ends `failed` and its worker, if any, is stopped. Refused when the
    /// item ended meanwhile, its deadline has not passed, or its cancel is under way.
    case expireDeadline(workItemId: WorkItemID)
    // Locks
    /// An active worker takes locks on `files` of `repo`. Replies
    /// ``Decision/Reply/locks(acquired:blockedFiles:)``: paths held by others are not taken.
    case acquireLocks(workerId: WorkerID, repo: String, files: [String])
    /// Releases those of the named locks the worker holds.
    case releaseLocks(workerId: WorkerID, repo: String, files: [String])
    /// Releases every lock the worker holds.
    case releaseAllLocks(workerId: WorkerID)
    // Outcomes reported by effect handlers
    /// The container handler started (or adopted) the worker's container; appends nothing
    /// when that container is already recorded. `environment`: the names of the variables
    /// the container was given (never values).
    case recordContainerStarted(workerId: WorkerID, containerId: String, environment: [String]? = nil)
    /// The container handler could not start the worker's container.
    case recordSpawnFailure(workerId: WorkerID, reason: String)
    /// The container handler stopped an ended worker's container (once per worker: a repeat
    /// appends nothing).
    case recordContainerStopped(workerId: WorkerID, containerId: String?, found: Bool, exitCode: Int?, logTail: [String])
    /// The container handler could not stop an ended worker's container.
    case recordStopFailure(workerId: WorkerID, reason: String)
    /// The container handler found the container of a worker that reported its end exited by
    /// itself when the end grace elapsed (once per worker: a repeat appends nothing).
    case recordContainerExited(workerId: WorkerID, containerId: String?, exitCode: Int?, logTail: [String])
    // Reconciliation's findings
    /// Reconciliation found an active worker's container gone or exited; `reason` must not be
    /// empty.
    case recordWorkerLost(workerId: WorkerID, reason: String)
    /// Reconciliation removed a container no active worker owns; refused while the worker its
    /// labels name is active.
    case recordOrphanRemoved(OrphanContainerRemoved)
    // Effect handlers
    /// An effect handler gave up the effect of an event (recorded, changes nothing else).
    case recordEffectAbandoned(EffectAbandoned)
    // The engine
    /// Records the context's configuration if it differs from the last one recorded.
    case recordConfiguration
    // The service
    /// Records a request refused for want of a valid credential.
    case recordAccessRefused(AccessRefused)
    /// Records `instance` as the leader of a shared log, for the term after the last one.
    case electLeader(instance: String)
}

/// A work item to add to the queue. Unset fields take the configuration's defaults.
public struct NewWorkItem: Sendable, Hashable, Codable {
    /// The repository the work is in, e.g. `acme/web`.
    public var repo: String
    /// The branch to work from, if not the default one.
    public var branch: String?
    /// What to do, for the worker.
    public var spec: String?
    /// A short description, for people.
    public var description: String?
    /// An execution item (the default) or a verification of another's pull request.
    public var type: WorkItemType
    /// Where it goes in the queue (`medium` by default).
    public var priority: Priority
    /// The most iterations a worker may spend on it (`nil`: the configuration's default).
    public var maxIterations: Int?
    /// Where the item came from (e.g. an issue tracker), for the caller's own use.
    public var source: String?
    /// The item's reference in its ``source``.
    public var sourceRef: String?
    /// Free-form fields kept with the item.
    public var metadata: [String: JSONValue]
    /// A client's key for this add (HTTP `Idempotency-Key`): an add whose key an item in the
    /// projections already carries appends nothing and answers with that item. Kept in the
    /// item's metadata as `idempotencyKey`.
    public var idempotencyKey: String?
    /// The item's own retry rules and time limits; `nil` (or an empty policy) for the
    /// server's.
    public var policy: WorkItemPolicy?

    /// A work item with the given fields; only `repo` is required.
    public init(
        repo: String, branch: String? = nil, spec: String? = nil, description: String? = nil,
        type: WorkItemType = .execution, priority: Priority = .medium, maxIterations: Int? = nil,
        source: String? = nil, sourceRef: String? = nil, metadata: [String: JSONValue] = [:],
        idempotencyKey: String? = nil, policy: WorkItemPolicy? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.policy = policy
        self.repo = repo
        self.branch = branch
        self.spec = spec
        self.description = description
        self.type = type
        self.priority = priority
        self.maxIterations = maxIterations
        self.source = source
        self.sourceRef = sourceRef
        self.metadata = metadata
    }
}

extension NewWorkItem {
    /// The metadata field that keeps an item's ``idempotencyKey``.
    public static let idempotencyKeyField = "idempotencyKey"
}

/// What a worker reports with a heartbeat.
public struct Heartbeat: Sendable, Hashable, Codable {
    /// The iteration the worker has reached (a lower one than already reported keeps the
    /// higher).
    public var iteration: Int
    /// The worker's own word on what it is doing.
    public var status: String?
    /// Tokens read so far, if the worker counts them.
    public var tokensIn: Int?
    /// Tokens written so far, if the worker counts them.
    public var tokensOut: Int?

    /// A heartbeat at `iteration`.
    public init(iteration: Int, status: String? = nil, tokensIn: Int? = nil, tokensOut: Int? = nil) {
        self.iteration = iteration
        self.status = status
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }
}

/// What a worker reports when it completes. Every field is optional, as in whim.
public struct Completion: Sendable, Hashable, Codable {
    /// The pull request the worker opened.
    public var prUrl: String?
    /// Its number; with ``verificationEnabled`` it queues a verification item.
    public var prNumber: Int?
    /// Whether the pull request of an execution item is to be verified by another worker.
    public var verificationEnabled: Bool?
    /// A verification item's verdict on its parent's pull request (`false` when absent).
    public var verificationPassed: Bool?
    /// The worker's review of the pull request, if it made one.
    public var review: Review?
    /// What the work cost (duration, tokens, …), if the worker reports it.
    public var metrics: WorkerMetrics?
    /// What the worker learned, for later workers.
    public var learnings: [Learning]

    /// A completion with the given fields, all optional.
    public init(
        prUrl: String? = nil, prNumber: Int? = nil, verificationEnabled: Bool? = nil,
        verificationPassed: Bool? = nil, review: Review? = nil, metrics: WorkerMetrics? = nil,
        learnings: [Learning] = []
    ) {
        self.prUrl = prUrl
        self.prNumber = prNumber
        self.verificationEnabled = verificationEnabled
        self.verificationPassed = verificationPassed
        self.review = review
        self.metrics = metrics
        self.learnings = learnings
    }
}

/// What a worker reports when it fails.
public struct Failure: Sendable, Hashable, Codable {
    /// What went wrong; must not be empty.
    public var error: String
    /// The iteration the worker had reached.
    public var iteration: Int
    /// A stack trace, appended to the recorded error.
    public var stack: String?
    /// The kind of failure, shown as `[CATEGORY]` before the error.
    public var category: FailureCategory?
    /// Details, recorded as canonical JSON after the error.
    public var context: [String: JSONValue]?

    /// A failure with `error` at `iteration`.
    public init(
        error: String, iteration: Int, stack: String? = nil, category: FailureCategory? = nil,
        context: [String: JSONValue]? = nil
    ) {
        self.error = error
        self.iteration = iteration
        self.stack = stack
        self.category = category
        self.context = context
    }
}
