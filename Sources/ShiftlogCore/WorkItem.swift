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

    public init(from decoder: any Decoder) throws { fields = CopyOnWrite(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try fields.value.encode(to: encoder) }

    public var id: WorkItemID {
        get { fields.value.id }
        set { fields.value.id = newValue }
    }
    public var repo: String {
        get { fields.value.repo }
        set { fields.value.repo = newValue }
    }
    public var branch: String? {
        get { fields.value.branch }
        set { fields.value.branch = newValue }
    }
    public var spec: String? {
        get { fields.value.spec }
        set { fields.value.spec = newValue }
    }
    public var description: String? {
        get { fields.value.description }
        set { fields.value.description = newValue }
    }
    public var type: WorkItemType {
        get { fields.value.type }
        set { fields.value.type = newValue }
    }
    public var priority: Priority {
        get { fields.value.priority }
        set { fields.value.priority = newValue }
    }
    public var status: WorkItemStatus {
        get { fields.value.status }
        set { fields.value.status = newValue }
    }
    public var workerId: WorkerID? {
        get { fields.value.workerId }
        set { fields.value.workerId = newValue }
    }
    public var iteration: Int {
        get { fields.value.iteration }
        set { fields.value.iteration = newValue }
    }
    public var maxIterations: Int {
        get { fields.value.maxIterations }
        set { fields.value.maxIterations = newValue }
    }
    public var retryCount: Int {
        get { fields.value.retryCount }
        set { fields.value.retryCount = newValue }
    }
    public var nextRetryAt: Timestamp? {
        get { fields.value.nextRetryAt }
        set { fields.value.nextRetryAt = newValue }
    }
    public var prUrl: String? {
        get { fields.value.prUrl }
        set { fields.value.prUrl = newValue }
    }
    public var prNumber: Int? {
        get { fields.value.prNumber }
        set { fields.value.prNumber = newValue }
    }
    public var parentWorkItemId: WorkItemID? {
        get { fields.value.parentWorkItemId }
        set { fields.value.parentWorkItemId = newValue }
    }
    public var verificationPassed: Bool? {
        get { fields.value.verificationPassed }
        set { fields.value.verificationPassed = newValue }
    }
    public var source: String? {
        get { fields.value.source }
        set { fields.value.source = newValue }
    }
    public var sourceRef: String? {
        get { fields.value.sourceRef }
        set { fields.value.sourceRef = newValue }
    }
    public var createdAt: Timestamp {
        get { fields.value.createdAt }
        set { fields.value.createdAt = newValue }
    }
    public var updatedAt: Timestamp {
        get { fields.value.updatedAt }
        set { fields.value.updatedAt = newValue }
    }
    public var completedAt: Timestamp? {
        get { fields.value.completedAt }
        set { fields.value.completedAt = newValue }
    }
    public var error: String? {
        get { fields.value.error }
        set { fields.value.error = newValue }
    }
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
