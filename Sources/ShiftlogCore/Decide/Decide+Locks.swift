import HashTreeCollections

extension Rules {
    func acquire(_ workerId: WorkerID, repo: String, files: [String]) throws(LifecycleError) -> Decision {
        _ = try activeWorker(workerId)
        let (repo, paths) = try lockRequest(repo: repo, files: files)
        var taken: [String] = []
        var blocked: [String] = []
        for path in paths {
            switch state.holder(repo: repo, path: path)?.workerId {
            case nil: taken.append(path)
            case workerId: continue  // re-acquiring one's own lock succeeds
            default: blocked.append(path)
            }
        }
        let events: [Event] = taken.isEmpty ? [] : [.locksAcquired(.init(workerId: workerId, repo: repo, paths: taken))]
        return Decision(events: events, reply: .locks(acquired: blocked.isEmpty, blockedFiles: blocked))
    }

    func release(_ workerId: WorkerID, repo: String, files: [String]) throws(LifecycleError) -> Decision {
        _ = try worker(workerId)
        let (repo, paths) = try lockRequest(repo: repo, files: files)
        let own = paths.map { LockKey(repo: repo, path: $0) }
            .filter { state.holder(repo: $0.repo, path: $0.path)?.workerId == workerId }
        return Decision(events: own.isEmpty ? [] : [.locksReleased(.init(workerId: workerId, locks: own))])
    }

    func releaseAll(_ workerId: WorkerID) throws(LifecycleError) -> Decision {
        _ = try worker(workerId)
        return Decision(events: releaseEverything(held: workerId))
    }

    /// The event that frees every lock the worker holds, if it holds any. Part of every
    /// terminal transition, so no lock ever outlives its holder.
    func releaseEverything(held workerId: WorkerID) -> [Event] {
        let held = (state.locksByWorker[workerId] ?? []).sorted()
        return held.isEmpty ? [] : [.locksReleased(.init(workerId: workerId, locks: held))]
    }

    /// Normalised repository and distinct normalised paths, in request order.
    private func lockRequest(repo: String, files: [String]) throws(LifecycleError) -> (String, [String]) {
        guard let repo = LockPath.normalise(repo: repo) else { throw .validation("'repo' must not be empty") }
        guard !files.isEmpty else { throw .validation("'files' must list at least one path") }
        var seen = Set<String>()
        var paths: [String] = []
        for file in files {
            guard let path = LockPath.normalise(path: file) else {
                throw .validation("\(quoted(file)) is not a path inside the repository")
            }
            if seen.insert(path).inserted { paths.append(path) }
        }
        return (repo, paths)
    }
}
