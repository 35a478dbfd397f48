public import ShiftlogCore
public import ShiftlogStore

/// The story of one worker or one work item, told from the log: every event about it with
/// the time since the previous one, heartbeat gaps longer than the stale threshold in force,
/// the effects each event asked for and the outcomes that came back.
public struct Timeline: Sendable, Codable {
    /// What the timeline is of.
    public enum Subject: String, Sendable, Codable {
        /// A worker, or a work item.
        case worker, workItem
    }

    /// One event of the story.
    public struct Entry: Sendable, Codable {
        /// The event's sequence.
        public var sequence: UInt64
        /// When it was recorded.
        public var time: Timestamp
        /// Milliseconds since the previous entry; `nil` for the first.
        public var sincePrevious: Int64?
        /// The event's type.
        public var type: EventType
        /// The event in one line (``ShiftlogCore/Event/summary``).
        public var summary: String
        /// What the reader should notice: gaps, requested effects, outcomes.
        public var notes: [String]
        /// The silence this event ended, when it was longer than the stale threshold: the
        /// same gap a ⚠ note states, for programs that draw it (the console's picture).
        public var staleGap: StaleGap?
        /// The event itself, for programs that draw the story; not part of the JSON, which
        /// carries its ``summary``.
        public var event: RecordedEvent?

        enum CodingKeys: String, CodingKey {
            case sequence, time, sincePrevious, type, summary, notes
        }
    }

    /// A heartbeat gap longer than the stale threshold in force.
    public struct StaleGap: Sendable, Hashable {
        /// The worker that was silent.
        public var workerId: WorkerID
        /// Milliseconds from its previous sign of life (spawn, register or heartbeat) to the event.
        public var milliseconds: Int64
        /// The threshold it was over, in milliseconds.
        public var thresholdMilliseconds: Int64
    }

    /// The worker's or item's id.
    public var id: String
    /// Whether `id` is a worker or a work item.
    public var subject: Subject
    /// Every event about it, in log order.
    public var entries: [Entry]
    /// A few sentences answering "what happened to it, and why".
    public var verdict: [String]

    /// Reads the whole log and builds the timeline of `id`.
    ///
    /// - Parameters:
    ///   - id: A worker's or a work item's id.
    ///   - log: The log to read, from its first event to its last.
    ///   - staleThreshold: Seconds; by default the threshold recorded in the log at each point
    ///     (its `configurationRecorded` events), or whim's 300 s before any is recorded.
    ///   - endState: The projections at the log's last event, when the caller has them (an
    ///     engine's, the console's): the verdict's final statuses are read from them instead of
    ///     folding the whole log again, which is most of the work on a long log.
    /// - Throws: ``InspectError`` when no worker or work item has this id.
    public static func build(
        of id: String, in log: any EventLog, staleThreshold: Int64? = nil, endState: LifecycleState? = nil
    ) throws -> Timeline {
        var builder = Builder(id: id, staleOverride: staleThreshold, endState: endState)
        try log.scan { batch in
            for event in batch { builder.add(event) }
            return true
        }
        guard let subject = builder.subject else {
            throw InspectError(.notFound, "no worker or work item '\(id)' in this log")
        }
        return Timeline(id: id, subject: subject, entries: builder.entries, verdict: builder.verdict())
    }

    /// Gathers the entries in one pass over the log.
    private struct Builder {
        let id: String
        let staleOverride: Int64?
        var subject: Subject?
        var entries: [Entry] = []
        var configuration = LifecycleConfiguration()
        var configurationSequence: UInt64?
        var filter = EventFilter()  // set when the subject is known
        var modes: [WorkerID: SpawnMode] = [:]
        var lastSign: [WorkerID: Timestamp] = [:]  // spawn, register or heartbeat
        var requested: [UInt64: (String, Timestamp)] = [:]  // effect-requesting events by sequence
        var flaggedGaps = 0
        var ending: (RecordedEvent, gap: Int64?)?
        var cancel: RecordedEvent?  // the last cancel request about the subject
        var state: LifecycleState  // the whole log folded, for the final statuses
        let folds: Bool

        init(id: String, staleOverride: Int64?, endState: LifecycleState?) {
            self.id = id
            self.staleOverride = staleOverride
            state = endState ?? LifecycleState()
            folds = endState == nil
        }

        mutating func add(_ recorded: RecordedEvent) {
            if folds { state.apply(recorded) }
            let event = recorded.event
            if case .configurationRecorded(let e) = event {
                configuration = e.lifecycle
                configurationSequence = recorded.sequence
                return
            }
            let worker = event.workerId
            if subject == nil {
                var filter = EventFilter()
                if worker == id {
                    subject = .worker
                    filter.workerIds = [id]
                } else if event.workItemIds.contains(id) {
                    subject = .workItem
                    filter.workItemIds = [id]
                }
                self.filter = filter
            }
            guard subject != nil, filter.matches(recorded) else { return }

            var notes: [String] = []
            var staleGap: StaleGap?
            if let worker {
                switch event {
                case .workerSpawned(let e):
                    modes[worker] = e.mode
                    lastSign[worker] = recorded.time
                case .workerRegistered:
                    lastSign[worker] = lastSign[worker] ?? recorded.time
                default:
                    // A heartbeat, or the event that ends the worker: how long since the last sign?
                    if event.type == .heartbeatRecorded || event.endedWorkerId != nil, let since = lastSign[worker] {
                        let gap = recorded.time.milliseconds(since: since)
                        let limit = threshold(for: modes[worker] ?? .execution)
                        if gap > limit.multipliedSaturating(by: 1_000) {
                            flaggedGaps += 1
                            staleGap = StaleGap(workerId: worker, milliseconds: gap, thresholdMilliseconds: limit.multipliedSaturating(by: 1_000))
                            notes.append("⚠ \(Elapsed.text(gap)) since \(worker)'s previous sign of life: over the stale threshold of \(Elapsed.text(limit.multipliedSaturating(by: 1_000)))")
                        }
                        if event.endedWorkerId != nil { ending = (recorded, gap) }
                    }
                    if case .heartbeatRecorded = event { lastSign[worker] = recorded.time }
                }
            }
            if let ended = event.endedWorkerId {
                if ending == nil || ending?.0.event.workerId != ended { ending = (recorded, nil) }
                if event.stoppedWorkerId == nil {
                    let grace = configuration.endGraceSeconds
                    notes.append("container \(ended) left to exit by itself; stopped if still running after \(grace) s (\(recorded.time.adding(seconds: grace).iso8601))")
                }
            }
            if let stopped = event.stoppedWorkerId {
                notes.append("effect requested: stop container \(stopped)")
                requested[recorded.sequence] = ("stop", recorded.time)
            }
            switch event {
            case .workerSpawned(let e):
                notes.append("effect requested: start container \(e.workerId)")
                requested[recorded.sequence] = ("start", recorded.time)
            case .cancelRequested(let e):
                cancel = recorded
                notes.append("cancel requested: \(e.workerId) learns of it at its next heartbeat or lock call; grace \(e.graceSeconds) s, stopped at \(recorded.time.adding(seconds: e.graceSeconds).iso8601) if still running")
            case .workItemCancelled(let e) where e.workerId != nil:
                if let request = cancel {
                    notes.append("ended cancelled \(Elapsed.text(recorded.time.milliseconds(since: request.time))) after the cancel request #\(request.sequence)")
                }
            case .containerStarted, .workerSpawnFailed, .containerStopped, .containerStopFailed, .containerExited:
                if let cause = recorded.causationId, cause.hasPrefix("seq:"), let sequence = UInt64(cause.dropFirst(4)),
                    let (kind, time) = requested[sequence]
                {
                    notes.append("outcome of the \(kind) asked by #\(sequence), \(Elapsed.text(recorded.time.milliseconds(since: time))) later")
                }
            default: break
            }
            let previous = entries.last?.time
            entries.append(Entry(
                sequence: recorded.sequence, time: recorded.time, sincePrevious: previous.map { recorded.time.milliseconds(since: $0) },
                type: recorded.type, summary: event.summary, notes: notes, staleGap: staleGap, event: recorded))
        }

        func threshold(for mode: SpawnMode) -> Int64 {
            staleOverride ?? configuration.staleThresholdSeconds(for: mode)
        }

        func verdict() -> [String] {
            guard let first = entries.first, let last = entries.last else { return [] }
            var lines: [String] = []
            let span = Elapsed.text(last.time.milliseconds(since: first.time))
            switch subject {
            case .worker:
                let mode = modes[id]?.rawValue ?? "unknown-mode"
                lines.append("\(id) (\(mode)): \(entries.count) events from \(first.time.iso8601) to \(last.time.iso8601) (\(span)).")
                if let worker = state.workers[id] {
                    lines.append("Its status at the end of the log: \(worker.status.rawValue), iteration \(worker.iteration), work item \(worker.workItemId).")
                }
            case .workItem:
                lines.append("\(id): \(entries.count) events over \(span), \(filter.workersOfItems.count) worker(s): \(filter.workersOfItems.sorted().joined(separator: ", ")).")
                if let item = state.workItems[id] {
                    var line = "Its status at the end of the log: \(item.status.rawValue), \(item.retryCount) retries"
                    if let error = item.error, item.status == .failed { line += ", last error: \(error.split(separator: "\n").first ?? "")" }
                    lines.append(line + ".")
                }
            case nil: break
            }
            if let (event, _) = ending, case .workerLost(let e) = event.event {
                lines.append("\(e.workerId) was lost at #\(event.sequence) (\(event.time.iso8601)): \(e.reason), found by reconciliation.")
            }
            if let (event, gap) = ending, case .workerKilled(let e) = event.event {
                var line = "\(e.workerId) was killed at #\(event.sequence) (\(event.time.iso8601)): \(e.reason)"
                if let gap {
                    let limit = threshold(for: modes[e.workerId] ?? .execution)
                    line += "; \(Elapsed.text(gap)) after its previous sign of life, stale threshold \(Elapsed.text(limit.multipliedSaturating(by: 1_000)))"
                    if staleOverride == nil {
                        line += configurationSequence.map { " (recorded at #\($0))" } ?? " (whim's default; none recorded)"
                    }
                }
                lines.append(line + ".")
            }
            if let request = cancel, case .cancelRequested(let e) = request.event {
                var line = "A cancel was requested at #\(request.sequence) (\(request.time.iso8601))" + (e.reason.map { ": \($0)" } ?? "")
                if let (event, _) = ending, event.event.workerId == e.workerId {
                    switch event.event {
                    case .cancelGraceExpired: line += "; \(e.workerId) did not end within its \(e.graceSeconds) s grace and was stopped at #\(event.sequence)"
                    case .workerCompleted: line += "; \(e.workerId) completed first at #\(event.sequence), so the work was kept"
                    default: line += "; \(e.workerId) ended by itself at #\(event.sequence) (\(event.type.rawValue))"
                    }
                }
                lines.append(line + ".")
            }
            if flaggedGaps > 0 { lines.append("\(flaggedGaps) gap(s) longer than the stale threshold are flagged below.") }
            return lines
        }
    }
}
