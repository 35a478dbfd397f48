/// Something asked of the lifecycle, in the imperative. ``decide(_:state:context:)`` turns a
/// command into events, or refuses it with a ``LifecycleError``.
public enum Command: Sendable, Hashable {
    // Queue
    case addWorkItem(NewWorkItem)
    case assignNext
    case cancelWorkItem(WorkItemID)
    case requeueWorkItem(WorkItemID)
    // Workers
    /// `mode`: `nil` for the one the item's type calls for; a mode that contradicts the type
    /// is refused.
    case spawn(workItemId: WorkItemID, mode: SpawnMode?)
    case spawnNext
    case register(workItemId: WorkItemID)
    case heartbeat(workerId: WorkerID, Heartbeat)
    case complete(workerId: WorkerID, Completion)
    case fail(workerId: WorkerID, Failure)
    case stuck(workerId: WorkerID, reason: String, attempts: Int)
    case kill(workerId: WorkerID, reason: String)
    /// The loop's kill: decided on the state in the writer, so a heartbeat that lands first
    /// spares the worker (refused `invalidState` when it is no longer stale).
    case killIfStale(workerId: WorkerID)
    /// The loop's give-up of a start past its deadline, decided on the state in the writer:
    /// refused when the worker has a container or is no longer starting by then.
    case expireStart(workerId: WorkerID, deadlineSeconds: Int64)
    // Locks
    case acquireLocks(workerId: WorkerID, repo: String, files: [String])
    case releaseLocks(workerId: WorkerID, repo: String, files: [String])
    case releaseAllLocks(workerId: WorkerID)
    // Outcomes reported by effect handlers
    /// `environment`: the names of the variables the container was given (never values).
    case recordContainerStarted(workerId: WorkerID, containerId: String, environment: [String]? = nil)
    case recordSpawnFailure(workerId: WorkerID, reason: String)
    case recordContainerStopped(workerId: WorkerID, containerId: String?, found: Bool, exitCode: Int?, logTail: [String])
    case recordStopFailure(workerId: WorkerID, reason: String)
    // Reconciliation's findings
    case recordWorkerLost(workerId: WorkerID, reason: String)
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
    public var repo: String
    public var branch: String?
    public var spec: String?
    public var description: String?
    public var type: WorkItemType
    public var priority: Priority
    public var maxIterations: Int?
    public var source: String?
    public var sourceRef: String?
    public var metadata: [String: JSONValue]
    /// A client's key for this add (HTTP `Idempotency-Key`): an add whose key an item in the
    /// projections already carries appends nothing and answers with that item. Kept in the
    /// item's metadata as `idempotencyKey`.
    public var idempotencyKey: String?

    public init(
        repo: String, branch: String? = nil, spec: String? = nil, description: String? = nil,
        type: WorkItemType = .execution, priority: Priority = .medium, maxIterations: Int? = nil,
        source: String? = nil, sourceRef: String? = nil, metadata: [String: JSONValue] = [:],
        idempotencyKey: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
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
    public var iteration: Int
    public var status: String?
    public var tokensIn: Int?
    public var tokensOut: Int?

    public init(iteration: Int, status: String? = nil, tokensIn: Int? = nil, tokensOut: Int? = nil) {
        self.iteration = iteration
        self.status = status
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }
}

/// What a worker reports when it completes. Every field is optional, as in whim.
public struct Completion: Sendable, Hashable, Codable {
    public var prUrl: String?
    public var prNumber: Int?
    public var verificationEnabled: Bool?
    public var verificationPassed: Bool?
    public var review: Review?
    public var metrics: WorkerMetrics?
    public var learnings: [Learning]

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
    public var error: String
    public var iteration: Int
    public var stack: String?
    public var category: FailureCategory?
    public var context: [String: JSONValue]?

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
