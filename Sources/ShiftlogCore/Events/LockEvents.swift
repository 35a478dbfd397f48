/// A worker took locks on these (normalised) paths of one repository.
public struct LocksAcquired: Sendable, Hashable, Codable {
    /// The active worker that took the locks.
    public var workerId: WorkerID
    /// The repository, normalised (``LockPath/normalise(repo:)``).
    public var repo: String
    /// The newly taken paths, normalised (``LockPath/normalise(path:)``), in request order;
    /// paths the worker already held are not repeated.
    public var paths: [String]
}

/// These locks of a worker were released, by the worker or because it ended.
public struct LocksReleased: Sendable, Hashable, Codable {
    /// The worker whose locks were released.
    public var workerId: WorkerID
    /// The released locks: for a release of named paths, those of them the worker held, in
    /// request order; when the worker ended or released all, every lock it held, sorted.
    public var locks: [LockKey]
}
