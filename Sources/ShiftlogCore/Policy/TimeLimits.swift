/// The time limits of items and their workers (``WorkItemPolicy``, with the server's
/// ``LifecycleConfiguration/attemptTimeoutSeconds`` and
/// ``LifecycleConfiguration/deadlineSeconds`` for items that give none): which apply, and
/// who is past them. The loop finds candidates with these on a published state; `decide`
/// asks the same questions again in the writer.
extension LifecycleState {
    /// The longest one worker may run on the item, in seconds; `nil` for no limit.
    public func attemptTimeoutSeconds(of itemId: WorkItemID, _ config: LifecycleConfiguration) -> Int64? {
        if let own = policies[itemId]?.attemptTimeoutSeconds { return own }
        return config.attemptTimeoutSeconds > 0 ? config.attemptTimeoutSeconds : nil
    }

    /// The item's deadline, in seconds from its queueing or its last retry or requeue by
    /// hand; `nil` for none.
    public func deadlineSeconds(of itemId: WorkItemID, _ config: LifecycleConfiguration) -> Int64? {
        if let own = policies[itemId]?.deadlineSeconds { return own }
        return config.deadlineSeconds > 0 ? config.deadlineSeconds : nil
    }

    /// When the item's deadline passes; `nil` for none.
    public func deadline(of item: WorkItem, _ config: LifecycleConfiguration) -> Timestamp? {
        deadlineSeconds(of: item.id, config).map { (deadlineStarts[item.id] ?? item.createdAt).adding(seconds: $0) }
    }

    /// When the worker's attempt times out; `nil` for no limit.
    public func attemptEnd(of worker: Worker, _ config: LifecycleConfiguration) -> Timestamp? {
        attemptTimeoutSeconds(of: worker.workItemId, config).map { worker.startedAt.adding(seconds: $0) }
    }

    /// Active workers that have run on their item past its attempt timeout at `now`, the
    /// earliest started first.
    public func workersPastAttemptTimeout(at now: Timestamp, _ config: LifecycleConfiguration) -> [Worker] {
        activeWorkerByItem.values
            .compactMap { workers[$0] }
            .filter { attemptEnd(of: $0, config).map { $0 <= now } ?? false }
            .sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Items not ended whose deadline has passed at `now`, leaving out those whose cancel is
    /// under way (the cancel ends them); the earliest deadline first.
    public func itemsPastDeadline(at now: Timestamp, _ config: LifecycleConfiguration) -> [WorkItem] {
        // Without a server-wide deadline, only items that gave their own can have one.
        let candidates: [WorkItem] = config.deadlineSeconds > 0
            ? workItems.values.filter { !$0.isTerminal }
            : policies.keys.compactMap { workItems[$0] }.filter { !$0.isTerminal }
        return candidates
            .compactMap { item in deadline(of: item, config).flatMap { $0 <= now ? (item, $0) : nil } }
            .filter { item, _ in !isCancelUnderWay(item.id) }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            .map(\.0)
    }

    /// Whether the item's active worker has been asked to end by a cancel.
    public func isCancelUnderWay(_ itemId: WorkItemID) -> Bool {
        activeWorkerByItem[itemId].map { cancelRequests[$0] != nil } ?? false
    }
}
