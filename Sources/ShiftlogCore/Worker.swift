/// The projection of one worker, in whim's field names.
///
/// A value type whose fields live in one copy-on-write box, so that the projections' tries
/// move a pointer, not the fields, and a heartbeat changes the worker in place.
public struct Worker: Sendable, Hashable, Codable {
    struct Fields: Sendable, Hashable, Codable {
        var id: WorkerID
        var workItemId: WorkItemID
        var status: WorkerStatus
        var mode: SpawnMode
        var iteration: Int
        var lastHeartbeat: Timestamp
        var startedAt: Timestamp
        var completedAt: Timestamp?
        var containerId: String?
        var error: String?

        // Absent values are written as `null`, as whim's clients expect.
        func encode(to encoder: any Encoder) throws {
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

    private var fields: CopyOnWrite<Fields>

    /// A worker with the given fields; the lifecycle makes them through events.
    public init(
        id: WorkerID, workItemId: WorkItemID, status: WorkerStatus, mode: SpawnMode,
        iteration: Int = 0, lastHeartbeat: Timestamp, startedAt: Timestamp,
        completedAt: Timestamp? = nil, containerId: String? = nil, error: String? = nil
    ) {
        fields = CopyOnWrite(Fields(
            id: id, workItemId: workItemId, status: status, mode: mode, iteration: iteration,
            lastHeartbeat: lastHeartbeat, startedAt: startedAt, completedAt: completedAt,
            containerId: containerId, error: error))
    }

    /// Decodes a worker from its JSON object (whim's fields).
    public init(from decoder: any Decoder) throws { fields = CopyOnWrite(try Fields(from: decoder)) }
    /// Encodes the worker as whim's JSON object, absent values as `null`.
    public func encode(to encoder: any Encoder) throws { try fields.value.encode(to: encoder) }

    /// The worker's id (also its container's name).
    public var id: WorkerID {
        get { fields.value.id }
        set { fields.value.id = newValue }
    }
    /// The work item it works on.
    public var workItemId: WorkItemID {
        get { fields.value.workItemId }
        set { fields.value.workItemId = newValue }
    }
    /// Where it is in its lifecycle.
    public var status: WorkerStatus {
        get { fields.value.status }
        set { fields.value.status = newValue }
    }
    /// Execution or verification.
    public var mode: SpawnMode {
        get { fields.value.mode }
        set { fields.value.mode = newValue }
    }
    /// The highest iteration it has reported.
    public var iteration: Int {
        get { fields.value.iteration }
        set { fields.value.iteration = newValue }
    }
    /// When it last proved alive (its spawn, at first).
    public var lastHeartbeat: Timestamp {
        get { fields.value.lastHeartbeat }
        set { fields.value.lastHeartbeat = newValue }
    }
    /// When it was spawned.
    public var startedAt: Timestamp {
        get { fields.value.startedAt }
        set { fields.value.startedAt = newValue }
    }
    /// When it ended, once it has.
    public var completedAt: Timestamp? {
        get { fields.value.completedAt }
        set { fields.value.completedAt = newValue }
    }
    /// The runtime's id of its container, once started.
    public var containerId: String? {
        get { fields.value.containerId }
        set { fields.value.containerId = newValue }
    }
    /// Why it failed or was killed, once it has.
    public var error: String? {
        get { fields.value.error }
        set { fields.value.error = newValue }
    }
}

extension Worker: CustomReflectable {
    /// The fields, not the box: what `dump`, `print` and test failures show.
    public var customMirror: Mirror { Mirror(reflecting: fields.value) }
}
