/// The projection of one work item, in whim's field names.
public struct WorkItem: Sendable, Hashable, Codable {
    public var id: WorkItemID
    public var repo: String
    public var branch: String?
    public var spec: String?
    public var description: String?
    public var type: WorkItemType
    public var priority: Priority
    public var status: WorkItemStatus
    public var workerId: WorkerID?
    public var iteration: Int
    public var maxIterations: Int
    public var retryCount: Int
    public var nextRetryAt: Timestamp?
    public var prUrl: String?
    public var prNumber: Int?
    public var parentWorkItemId: WorkItemID?
    public var verificationPassed: Bool?
    public var source: String?
    public var sourceRef: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var completedAt: Timestamp?
    public var error: String?
    public var metadata: [String: JSONValue]

    public init(
        id: WorkItemID, repo: String, branch: String? = nil, spec: String? = nil,
        description: String? = nil, type: WorkItemType = .execution, priority: Priority = .medium,
        status: WorkItemStatus = .queued, workerId: WorkerID? = nil, iteration: Int = 0,
        maxIterations: Int, retryCount: Int = 0, nextRetryAt: Timestamp? = nil, prUrl: String? = nil,
        prNumber: Int? = nil, parentWorkItemId: WorkItemID? = nil, verificationPassed: Bool? = nil,
        source: String? = nil, sourceRef: String? = nil, createdAt: Timestamp, updatedAt: Timestamp,
        completedAt: Timestamp? = nil, error: String? = nil, metadata: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.repo = repo
        self.branch = branch
        self.spec = spec
        self.description = description
        self.type = type
        self.priority = priority
        self.status = status
        self.workerId = workerId
        self.iteration = iteration
        self.maxIterations = maxIterations
        self.retryCount = retryCount
        self.nextRetryAt = nextRetryAt
        self.prUrl = prUrl
        self.prNumber = prNumber
        self.parentWorkItemId = parentWorkItemId
        self.verificationPassed = verificationPassed
        self.source = source
        self.sourceRef = sourceRef
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.error = error
        self.metadata = metadata
    }

    private enum CodingKeys: String, CodingKey {
        case id, repo, branch, spec, description, type, priority, status, workerId, iteration
        case maxIterations, retryCount, nextRetryAt, prUrl, prNumber, parentWorkItemId
        case verificationPassed, source, sourceRef, createdAt, updatedAt, completedAt, error, metadata
    }

    // Absent values are written as `null`, as whim's clients expect.
    public func encode(to encoder: any Encoder) throws {
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

    /// Whether the item is finished and can only be requeued by hand.
    public var isTerminal: Bool {
        status == .completed || status == .failed || status == .cancelled
    }
}
