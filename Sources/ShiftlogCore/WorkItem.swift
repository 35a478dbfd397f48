/// The projection of one work item, in whim's field names.
///
/// A value type whose fields live in one copy-on-write box (as ``Worker``'s do), so that the
/// projections' tries move a pointer, not two dozen fields.
public struct WorkItem: Sendable, Hashable, Codable {
    struct Fields: Sendable, Hashable, Codable {
        var id: WorkItemID
        var repo: String
        var branch: String?
        var spec: String?
        var description: String?
        var type: WorkItemType
        var priority: Priority
        var status: WorkItemStatus
        var workerId: WorkerID?
        var iteration: Int
        var maxIterations: Int
        var retryCount: Int
        var nextRetryAt: Timestamp?
        var prUrl: String?
        var prNumber: Int?
        var parentWorkItemId: WorkItemID?
        var verificationPassed: Bool?
        var source: String?
        var sourceRef: String?
        var createdAt: Timestamp
        var updatedAt: Timestamp
        var completedAt: Timestamp?
        var error: String?
        var metadata: [String: JSONValue]
        /// The sequence number of the item's `workItemAdded` event (0: not known, in a state
        /// decoded from a snapshot written before it was kept). Not part of whim's JSON shape.
        var arrival: UInt64 = 0

        enum CodingKeys: String, CodingKey {
            case id, repo, branch, spec, description, type, priority, status, workerId, iteration, maxIterations
            case retryCount, nextRetryAt, prUrl, prNumber, parentWorkItemId, verificationPassed, source, sourceRef
            case createdAt, updatedAt, completedAt, error, metadata
        }

        // Absent values are written as `null`, as whim's clients expect.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(repo, forKey: .repo)
            try c.encode(branch, forKey: .branch)
            try c.encode(spec, forKey: .spec)
            try c.encode(description, forKey: .description)
            try c.encode(type, forKey: .type)
            try c.encode(priority, forKey: .priority)
            try c.encode(status, forKey: .status)
            try c.encode(workerId, forKey: .workerId)
            try c.encode(iteration, forKey: .iteration)
            try c.encode(maxIterations, forKey: .maxIterations)
            try c.encode(retryCount, forKey: .retryCount)
            try c.encode(nextRetryAt, forKey: .nextRetryAt)
            try c.encode(prUrl, forKey: .prUrl)
            try c.encode(prNumber, forKey: .prNumber)
            try c.encode(parentWorkItemId, forKey: .parentWorkItemId)
            try c.encode(verificationPassed, forKey: .verificationPassed)
            try c.encode(source, forKey: .source)
            try c.encode(sourceRef, forKey: .sourceRef)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encode(completedAt, forKey: .completedAt)
            try c.encode(error, forKey: .error)
            try c.encode(metadata, forKey: .metadata)
        }
    }

    private var fields: CopyOnWrite<Fields>

    /// An item with the given fields; the lifecycle makes them through events
    /// (``WorkItemAdded`` and those after it).
    public init(
        id: WorkItemID, repo: String, branch: String? = nil, spec: String? = nil,
        description: String? = nil, type: WorkItemType = .execution, priority: Priority = .medium,
        status: WorkItemStatus = .queued, workerId: WorkerID? = nil, iteration: Int = 0,
        maxIterations: Int, retryCount: Int = 0, nextRetryAt: Timestamp? = nil, prUrl: String? = nil,
        prNumber: Int? = nil, parentWorkItemId: WorkItemID? = nil, verificationPassed: Bool? = nil,
        source: String? = nil, sourceRef: String? = nil, createdAt: Timestamp, updatedAt: Timestamp,
        completedAt: Timestamp? = nil, error: String? = nil, metadata: [String: JSONValue] = [:], arrival: UInt64 = 0
    ) {
        fields = CopyOnWrite(Fields(
            id: id, repo: repo, branch: branch, spec: spec, description: description, type: type,
            priority: priority, status: status, workerId: workerId, iteration: iteration,
            maxIterations: maxIterations, retryCount: retryCount, nextRetryAt: nextRetryAt, prUrl: prUrl,
            prNumber: prNumber, parentWorkItemId: parentWorkItemId, verificationPassed: verificationPassed,
            source: source, sourceRef: sourceRef, createdAt: createdAt, updatedAt: updatedAt,
            completedAt: completedAt, error: error, metadata: metadata, arrival: arrival))
    }

    /// Decodes an item from its JSON object (whim's fields; ``arrival`` is not among them).
    public init(from decoder: any Decoder) throws { fields = CopyOnWrite(try Fields(from: decoder)) }
    /// Encodes the item as whim's JSON object, absent values as `null` (``arrival`` is left out).
    public func encode(to encoder: any Encoder) throws { try fields.value.encode(to: encoder) }

    /// The item's id.
    public var id: WorkItemID {
        get { fields.value.id }
        set { fields.value.id = newValue }
    }
    /// The repository the work is in, e.g. `acme/web`.
    public var repo: String {
        get { fields.value.repo }
        set { fields.value.repo = newValue }
    }
    /// The branch to work from; `nil` for the repository's default.
    public var branch: String? {
        get { fields.value.branch }
        set { fields.value.branch = newValue }
    }
    /// What the worker is to do.
    public var spec: String? {
        get { fields.value.spec }
        set { fields.value.spec = newValue }
    }
    /// A short description, for people.
    public var description: String? {
        get { fields.value.description }
        set { fields.value.description = newValue }
    }
    /// Execution, or verification of its parent's pull request.
    public var type: WorkItemType {
        get { fields.value.type }
        set { fields.value.type = newValue }
    }
    /// Where it goes in the queue.
    public var priority: Priority {
        get { fields.value.priority }
        set { fields.value.priority = newValue }
    }
    /// Where it is in its lifecycle.
    public var status: WorkItemStatus {
        get { fields.value.status }
        set { fields.value.status = newValue }
    }
    /// Its current or last worker; `nil` before its first worker and whenever it goes back to
    /// the queue.
    public var workerId: WorkerID? {
        get { fields.value.workerId }
        set { fields.value.workerId = newValue }
    }
    /// The iteration its worker last reported in a heartbeat.
    public var iteration: Int {
        get { fields.value.iteration }
        set { fields.value.iteration = newValue }
    }
    /// The most iterations a worker may spend on it: a worker killed or lost at this many
    /// fails the item instead of retrying it.
    public var maxIterations: Int {
        get { fields.value.maxIterations }
        set { fields.value.maxIterations = newValue }
    }
    /// Retries so far (0 until its first worker ends without success; reset by a requeue).
    public var retryCount: Int {
        get { fields.value.retryCount }
        set { fields.value.retryCount = newValue }
    }
    /// Not handed out or spawned before this time; `nil` when it may go at once.
    public var nextRetryAt: Timestamp? {
        get { fields.value.nextRetryAt }
        set { fields.value.nextRetryAt = newValue }
    }
    /// The pull request its worker opened, once completed.
    public var prUrl: String? {
        get { fields.value.prUrl }
        set { fields.value.prUrl = newValue }
    }
    /// That pull request's number; for a verification item, the pull request it verifies.
    public var prNumber: Int? {
        get { fields.value.prNumber }
        set { fields.value.prNumber = newValue }
    }
    /// For a verification item, the execution item whose pull request it verifies.
    public var parentWorkItemId: WorkItemID? {
        get { fields.value.parentWorkItemId }
        set { fields.value.parentWorkItemId = newValue }
    }
    /// For a completed verification item, its verdict; `nil` otherwise.
    public var verificationPassed: Bool? {
        get { fields.value.verificationPassed }
        set { fields.value.verificationPassed = newValue }
    }
    /// Where the item came from (an issue tracker, say), for the caller's own use.
    public var source: String? {
        get { fields.value.source }
        set { fields.value.source = newValue }
    }
    /// The item's reference in its ``source``.
    public var sourceRef: String? {
        get { fields.value.sourceRef }
        set { fields.value.sourceRef = newValue }
    }
    /// When it was added.
    public var createdAt: Timestamp {
        get { fields.value.createdAt }
        set { fields.value.createdAt = newValue }
    }
    /// The time of the last event that changed it.
    public var updatedAt: Timestamp {
        get { fields.value.updatedAt }
        set { fields.value.updatedAt = newValue }
    }
    /// When its worker completed it; `nil` otherwise (a requeue clears it).
    public var completedAt: Timestamp? {
        get { fields.value.completedAt }
        set { fields.value.completedAt = newValue }
    }
    /// Why its last worker ended without success; `nil` when none has (cleared by completion
    /// and requeue).
    public var error: String? {
        get { fields.value.error }
        set { fields.value.error = newValue }
    }
    /// Free-form fields: the caller's, the `idempotencyKey` of its add, and for an execution
    /// item whose pull request was verified, `verificationStatus` (`passed`,
    /// `verificationWorkItemId`, `completedAt`).
    public var metadata: [String: JSONValue] {
        get { fields.value.metadata }
        // In place, so that changing one key does not copy the dictionary.
        _modify { yield &fields.value.metadata }
    }

    /// The sequence number of the event that added the item: its place in arrival order,
    /// which breaks ties between items created in the same millisecond. 0 when not known (a
    /// state decoded from a snapshot of an earlier layout).
    public var arrival: UInt64 {
        get { fields.value.arrival }
        set { fields.value.arrival = newValue }
    }

    /// Whether the item is finished and can only be requeued by hand.
    public var isTerminal: Bool {
        status == .completed || status == .failed || status == .cancelled
    }
}

extension WorkItem: CustomReflectable {
    /// The fields, not the box: what `dump`, `print` and test failures show.
    public var customMirror: Mirror { Mirror(reflecting: fields.value) }
}
