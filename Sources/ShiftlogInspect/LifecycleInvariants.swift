import ShiftlogCore
public import ShiftlogStore

/// The lifecycle's invariants, checked after every event of a log (`shiftlog verify`):
///
/// - no lock is held by a worker that is not active;
/// - active workers never exceed the maximum in force (the last `configurationRecorded`) when
///   a worker is spawned or registered;
/// - every `in_progress` item has an active worker;
/// - a worker's iteration never goes backwards;
/// - a cancelled item is terminal: never retried, handed out, run or ended again, until a
///   requeue or retry by hand.
///
/// They hold between commands: one command's events (consecutive, sharing correlation and
/// causation ids, written in one transaction) are checked together, after its last event —
/// a `workerFailed` is followed by the `locksReleased` and the item's retry of the same
/// command. Each check looks only at what the command touched, so the pass costs one fold. The
/// first command that breaks one is reported at its last event, with the causation chain
/// (`seq:N` links back to the command that started it).
public enum LifecycleInvariants {
    /// The first command that broke an invariant.
    public struct Violation: Sendable, Codable, Equatable, CustomStringConvertible {
        /// The last event of the command that broke it.
        public var sequence: UInt64
        /// The invariant broken, e.g. `every in-progress item has an active worker`.
        public var rule: String
        /// What broke it, naming the worker or item.
        public var detail: String
        /// The event and the ones it was caused by, newest first: `#12 containerStarted ← #9 workerSpawned`.
        public var chain: [String]

        public var description: String {
            "#\(sequence) breaks \"\(rule)\": \(detail) (causation: \(chain.joined(separator: " ← ")))"
        }
    }

    /// Folds `log` and returns the first violation, or `nil` when every event keeps them all.
    public static func firstViolation(in log: any EventLog, progress: ((UInt64) -> Void)? = nil) throws -> Violation? {
        var state = LifecycleState()
        var found: (UInt64, String, String)?
        var command: [RecordedEvent] = []
        var cancelled: Set<WorkItemID> = []
        func close() {
            guard found == nil, let last = command.last else { return }
            if let (rule, detail) = broken(by: command, after: state) { found = (last.sequence, rule, detail) }
            command = []
        }
        try log.scan(after: 0) { batch in
            for event in batch {
                if let first = command.first, first.correlationId != event.correlationId || first.causationId != event.causationId {
                    close()
                    if found != nil { return false }
                }
                if case .heartbeatRecorded(let beat) = event.event, let previous = state.workers[beat.workerId]?.iteration,
                    beat.iteration < previous
                {
                    found = (event.sequence, "iterations never go backwards", "\(beat.workerId) reported \(beat.iteration) after \(previous)")
                    return false
                }
                if let (rule, detail) = reopens(event, cancelled: &cancelled) {
                    found = (event.sequence, rule, detail)
                    return false
                }
                state.apply(event)
                command.append(event)
            }
            progress?(state.lastSequence)
            return true
        }
        close()
        guard let (sequence, rule, detail) = found else { return nil }
        return Violation(sequence: sequence, rule: rule, detail: detail, chain: try chain(from: sequence, in: log))
    }

    /// Whether `event` moves an item that is cancelled (and not requeued or retried by hand
    /// since): retried,
    /// failed, handed out, given a worker, completed or cancelled again. Keeps `cancelled`.
    static func reopens(_ event: RecordedEvent, cancelled: inout Set<WorkItemID>) -> (String, String)? {
        let rule = "a cancelled item is terminal"
        switch event.event {
        case .workItemRequeued(let e):
            cancelled.remove(e.workItemId)
        case .workItemRetriedNow(let e):
            cancelled.remove(e.workItemId)
        case .workItemDeadlinePassed(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) passed its deadline after it was cancelled")
        case .workItemCancelled(let e):
            guard cancelled.insert(e.workItemId).inserted else { return (rule, "\(e.workItemId) was cancelled twice") }
        case .workItemRetryScheduled(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) was retried after it was cancelled")
        case .workItemFailed(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) failed after it was cancelled")
        case .workItemAssigned(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) was handed out after it was cancelled")
        case .workerSpawned(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) got worker \(e.workerId) after it was cancelled")
        case .workerRegistered(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) got worker \(e.workerId) after it was cancelled")
        case .workerCompleted(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) was completed after it was cancelled")
        case .cancelRequested(let e) where cancelled.contains(e.workItemId):
            return (rule, "\(e.workItemId) was asked to cancel again after it was cancelled")
        default:
            break
        }
        return nil
    }

    /// The rule a command (its events, in order) breaks, with what shows it, or `nil`.
    static func broken(by command: [RecordedEvent], after state: LifecycleState) -> (String, String)? {
        for workerId in Set(command.compactMap(\.event.workerId)).sorted() where state.workers[workerId]?.status.isActive != true {
            let held = state.locks(of: workerId)
            if !held.isEmpty {
                return ("no lock held by a finished worker",
                        "\(workerId) is \(state.workers[workerId]?.status.rawValue ?? "gone") and holds \(held.map(\.path).joined(separator: ", "))")
            }
        }
        let spawns = command.contains {
            if case .workerSpawned = $0.event { return true }
            if case .workerRegistered = $0.event { return true }
            return false
        }
        if spawns, let maximum = state.configuration?.maxWorkers, state.activeWorkerCount > maximum {
            return ("active workers within the maximum", "\(state.activeWorkerCount) active, maximum \(maximum)")
        }
        for itemId in Set(command.flatMap(\.event.workItemIds)).sorted() {
            guard let item = state.workItems[itemId], item.status == .inProgress else { continue }
            guard let workerId = state.activeWorkerByItem[itemId], state.workers[workerId]?.status.isActive == true else {
                return ("every in-progress item has an active worker", "\(itemId) is in_progress with no active worker")
            }
        }
        return nil
    }

    /// `#N type ← #M type ← …`, following `seq:` causation ids (at most 20 links).
    static func chain(from sequence: UInt64, in log: any EventLog) throws -> [String] {
        var links: [String] = []
        var next: UInt64? = sequence
        while let current = next, links.count < 20, let event = try log.read(after: current - 1, limit: 1).first {
            links.append("#\(event.sequence) \(event.type.rawValue)")
            next = event.causationId.flatMap { $0.hasPrefix("seq:") ? UInt64($0.dropFirst(4)) : nil }
            if let upstream = next, upstream >= current { next = nil }
        }
        return links
    }
}
