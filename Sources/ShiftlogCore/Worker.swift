/// The projection of one worker, in whim's field names.
public struct Worker: Sendable, Hashable, Codable {
    public var id: WorkerID
    public var workItemId: WorkItemID
    public var status: WorkerStatus
    public var mode: SpawnMode
    public var iteration: Int
    public var lastHeartbeat: Timestamp
    public var startedAt: Timestamp
    public var completedAt: Timestamp?
    public var containerId: String?
    public var error: String?

    public init(
        id: WorkerID, workItemId: WorkItemID, status: WorkerStatus, mode: SpawnMode,
        iteration: Int = 0, lastHeartbeat: Timestamp, startedAt: Timestamp,
        completedAt: Timestamp? = nil, containerId: String? = nil, error: String? = nil
    ) {
        self.id = id
        self.workItemId = workItemId
        self.status = status
        self.mode = mode
        self.iteration = iteration
        self.lastHeartbeat = lastHeartbeat
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.containerId = containerId
        self.error = error
    }

    private enum CodingKeys: String, CodingKey {
        case id, workItemId, status, mode, iteration, lastHeartbeat, startedAt, completedAt, containerId, error
    }

    // Absent values are written as `null`, as whim's clients expect.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(workItemId, forKey: .workItemId)
        try container.encode(status, forKey: .status)
        try container.encode(mode, forKey: .mode)
        try container.encode(iteration, forKey: .iteration)
        try container.encode(lastHeartbeat, forKey: .lastHeartbeat)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(containerId, forKey: .containerId)
        try container.encode(error, forKey: .error)
    }
}
