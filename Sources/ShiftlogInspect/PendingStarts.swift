import ShiftlogCore

/// The container starts (`workerSpawned` events) that nothing in the log has settled yet,
/// for the replay check of the container handler's checkpoint.
///
/// A start is settled by its outcome (`containerStarted` or `workerSpawnFailed` caused by
/// it), by an outcome for its worker recorded without a cause (the engine giving up at the
/// start deadline records `workerSpawnFailed` as a command of its own), or by its worker's
/// end before any outcome: the container handler skips the start of a worker that is no
/// longer active, so such a start never has an outcome, and that is no fault.
struct PendingStarts {
    private var workerBySequence: [UInt64: WorkerID] = [:]
    private var sequenceByWorker: [WorkerID: UInt64] = [:]

    mutating func settle(by recorded: RecordedEvent) {
        switch recorded.event {
        case .workerSpawned(let e):
            workerBySequence[recorded.sequence] = e.workerId
            sequenceByWorker[e.workerId] = recorded.sequence
        case .containerStarted, .workerSpawnFailed:
            if let cause = recorded.causationId, cause.hasPrefix("seq:"), let sequence = UInt64(cause.dropFirst(4)) {
                settle(sequence)
            } else if let worker = recorded.event.workerId {
                settle(worker: worker)
            }
        default:
            if let worker = recorded.event.endedWorkerId { settle(worker: worker) }
        }
    }

    /// The earliest unsettled start at or before `sequence`.
    func first(coveredBy sequence: UInt64) -> (sequence: UInt64, workerId: WorkerID)? {
        workerBySequence.filter { $0.key <= sequence }.min { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private mutating func settle(_ sequence: UInt64) {
        guard let worker = workerBySequence.removeValue(forKey: sequence) else { return }
        if sequenceByWorker[worker] == sequence { sequenceByWorker[worker] = nil }
    }

    private mutating func settle(worker: WorkerID) {
        guard let sequence = sequenceByWorker.removeValue(forKey: worker) else { return }
        workerBySequence[sequence] = nil
    }
}
