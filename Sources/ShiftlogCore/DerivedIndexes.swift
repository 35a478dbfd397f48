import DequeModule
import HashTreeCollections

/// The parts of ``LifecycleState`` derived from its data: the active worker of each item, the
/// queued items, the locks of each worker and the retirement schedule. `evolve` keeps them in
/// step; decoding a snapshot (binary or JSON) rebuilds them here, from one pass over the
/// workers and items, with the same rules.
struct DerivedIndexes {
    private var activeWorkerByItem: TreeDictionary<WorkItemID, WorkerID> = [:]
    private var queuedItems: [WorkItemID] = []
    private var retiringWorkers: [RetirementSchedule.Entry] = []
    private var retiringItems: [RetirementSchedule.Entry] = []

    mutating func add(_ worker: Worker) {
        if worker.status.isActive {
            activeWorkerByItem[worker.workItemId] = worker.id
        } else if let time = worker.completedAt {
            retiringWorkers.append(.init(time: time, id: worker.id))
        }
    }

    mutating func add(_ item: WorkItem) {
        if item.status == .queued { queuedItems.append(item.id) }
        if item.isTerminal { retiringItems.append(.init(time: item.updatedAt, id: item.id)) }
    }

    /// Sets the indexes of `state`, whose workers and items were all added.
    func install(in state: inout LifecycleState) {
        state.activeWorkerByItem = activeWorkerByItem
        state.queuedItems = TreeSet(queuedItems)
        state.locksByWorker = [:]
        for lock in state.locks.values.flatMap(\.values) {
            state.locksByWorker[lock.workerId, default: []].insert(LockKey(repo: lock.repo, path: lock.path))
        }
        func byTime(_ entries: [RetirementSchedule.Entry]) -> Deque<RetirementSchedule.Entry> {
            Deque(entries.sorted { ($0.time, $0.id) < ($1.time, $1.id) })
        }
        state.retirement = RetirementSchedule(workers: byTime(retiringWorkers), items: byTime(retiringItems))
    }
}

extension LifecycleState {
    /// Rebuilds every derived index from the data.
    mutating func rebuildIndexes() {
        var indexes = DerivedIndexes()
        for worker in workers.values { indexes.add(worker) }
        for item in workItems.values { indexes.add(item) }
        indexes.install(in: &self)
    }
}
