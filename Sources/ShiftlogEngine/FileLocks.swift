public import ShiftlogCore

/// The answer to a lock request: `acquired` when every path is now held by the worker;
/// otherwise the paths held by others (the rest were taken).
public struct LockResult: Sendable, Hashable, Codable {
    /// Whether the worker now holds every path it asked for.
    public var acquired: Bool
    /// The paths other workers hold (normalised); empty when `acquired`.
    public var blockedFiles: [String]
    /// The cancel asked of the worker, if its item is being cancelled: it should end.
    public var cancel: CancelRequest?
}

/// File locks of an ``Engine``: one holder per (repository, normalised path).
public struct FileLocks: Sendable {
    let engine: Engine

    /// Takes the locks on `files` in `repo` for an active worker: every free path is taken, and
    /// the paths held by other workers come back in ``LockResult/blockedFiles``. Paths are
    /// normalised first; re-acquiring a path the worker holds is a no-op.
    public func acquire(workerId: WorkerID, repo: String, files: [String]) async throws -> LockResult {
        let result = try await engine.execute(.acquireLocks(workerId: workerId, repo: repo, files: files))
        let cancel = result.state.cancelRequests[workerId]
        guard case .locks(let acquired, let blocked) = result.reply else {
            return LockResult(acquired: true, blockedFiles: [], cancel: cancel)
        }
        return LockResult(acquired: acquired, blockedFiles: blocked, cancel: cancel)
    }

    /// Releases the worker's own locks among `files`; others' locks are left alone.
    public func release(workerId: WorkerID, repo: String, files: [String]) async throws {
        try await engine.execute(.releaseLocks(workerId: workerId, repo: repo, files: files))
    }

    /// Releases every lock the worker holds, in any repository.
    public func releaseAll(workerId: WorkerID) async throws {
        try await engine.execute(.releaseAllLocks(workerId: workerId))
    }

    /// Who holds the lock on `path`, after normalising it.
    public func holder(repo: String, path: String) -> FileLock? {
        guard let repo = LockPath.normalise(repo: repo), let path = LockPath.normalise(path: path) else { return nil }
        return engine.state.holder(repo: repo, path: path)
    }

    /// The locks `workerId` holds.
    public func locks(of workerId: WorkerID) -> [FileLock] { engine.state.locks(of: workerId) }
}
