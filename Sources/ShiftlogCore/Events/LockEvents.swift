/// A worker took locks on these (normalised) paths of one repository.
public struct LocksAcquired: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var repo: String
    public var paths: [String]
}

/// These locks of a worker were released, by the worker or because it ended.
public struct LocksReleased: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var locks: [LockKey]
}
