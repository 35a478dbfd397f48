#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Logging
import ShiftlogCore
import ShiftlogStore
import Synchronization

/// The one writer: decides commands in arrival order and appends their events.
///
/// Callers enqueue and await. A serial dispatch queue drains the queue in batches: every
/// command that arrived while the previous transaction was syncing goes into the next one
/// (group commit), each decided against the state its predecessors left. A refused command
/// contributes nothing; its neighbours are unaffected. Everyone in a batch is answered after
/// the one fsync that makes the batch durable. If the store refuses a batch, its commands are
/// written again one per transaction, so only a command whose own write fails is failed.
///
/// The state it decides against is confined to the queue; readers get the copy it publishes
/// after each commit.
final class CommandWriter: @unchecked Sendable {
    private struct Pending {
        var submissions: [Submission] = []
        var draining = false
        var closed = false
        /// Submissions ever accepted (not refused as closed).
        var accepted: UInt64 = 0
    }

    private let log: any EventLog
    /// Whether other processes append to the log too (``EventStore/isShared``).
    private let isShared: Bool
    private let clock: any TimeSource
    private let ids: any IDSource
    private let configuration: EngineConfiguration
    private let logger: Logger
    private let queue = DispatchQueue(label: "dev.shiftlog.writer", qos: .userInitiated)
    private let pending = Mutex(Pending())
    private let published: Mutex<LifecycleState>
    /// The last sequence of the published state, raised after the state is published.
    private let publishedSequence: ProgressSignal

    /// Set when an append fails, cleared when an append of events succeeds (a handler's
    /// checkpoint alone, a few bytes, can fit where no command does: it proves nothing).
    private let appendFailure = Mutex<StoreWriteFailure?>(nil)

    /// Submissions ever answered; ``close()`` waits for it to reach those accepted.
    private let answered = ProgressSignal()

    // Confined to `queue`.
    private var answeredCount: UInt64 = 0
    private var state: LifecycleState
    private var lastSnapshot: UInt64

    init(
        log: any EventLog, isShared: Bool = false, state: LifecycleState, lastSnapshot: UInt64, clock: any TimeSource, ids: any IDSource,
        configuration: EngineConfiguration, logger: Logger
    ) {
        self.log = log
        self.isShared = isShared
        self.state = state
        self.lastSnapshot = lastSnapshot
        self.clock = clock
        self.ids = ids
        self.configuration = configuration
        self.logger = logger
        self.published = Mutex(state)
        self.publishedSequence = ProgressSignal(state.lastSequence)
    }

    /// Commands submitted and not yet taken into a transaction.
    var waitingCount: Int { pending.withLock { $0.submissions.count } }

    /// The state as of the last commit.
    var current: LifecycleState { published.withLock { $0 } }

    /// The store's refusal of the last append, if it refused it.
    var writeFailure: StoreWriteFailure? { appendFailure.withLock { $0 } }

    /// The state once it includes event `sequence`. The log announces an append before the
    /// writer publishes the state that goes with it; an effect handler must not act on the
    /// older one.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    func state(including sequence: UInt64) async throws -> LifecycleState {
        if await publishedSequence.wait(until: sequence) == .cancelled { throw CancellationError() }
        return current
    }

    private func publish(_ state: LifecycleState) {
        published.withLock { $0 = state }
        publishedSequence.advance(to: state.lastSequence)
    }

    /// Decides and appends one command; returns once its events are durable.
    func submit(
        _ command: Command?, correlationId: String? = nil, causationId: String? = nil, checkpoint: Checkpoint? = nil,
        term: UInt64? = nil
    ) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            enqueue([Submission(
                command: command, correlationId: correlationId, causationId: causationId, checkpoint: checkpoint, term: term,
                reply: { continuation.resume(with: $0) })])
        }
    }

    /// Decides and appends several commands, queued together: nothing submitted meanwhile (an
    /// effect handler's outcome, say) lands between them. Each is answered on its own, as by
    /// ``submit(_:correlationId:causationId:checkpoint:)``.
    func submitAll(_ commands: [Command], term: UInt64? = nil) async -> [Result<CommandResult, any Error>] {
        guard !commands.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let answers = Mutex<(results: [Result<CommandResult, any Error>?], left: Int)>(
                (Array(repeating: nil, count: commands.count), commands.count))
            enqueue(commands.enumerated().map { index, command in
                Submission(command: command, correlationId: nil, causationId: nil, checkpoint: nil, term: term) { result in
                    let done = answers.withLock { answers -> [Result<CommandResult, any Error>]? in
                        answers.results[index] = result
                        answers.left -= 1
                        return answers.left == 0 ? answers.results.map { $0! } : nil
                    }
                    if let done { continuation.resume(returning: done) }
                }
            })
        }
    }

    private func enqueue(_ submissions: [Submission]) {
        let (accepted, startDrain) = pending.withLock { pending -> (Bool, Bool) in
            guard !pending.closed else { return (false, false) }
            pending.submissions += submissions
            pending.accepted += UInt64(submissions.count)
            defer { pending.draining = true }
            return (true, !pending.draining)
        }
        if !accepted {
            for submission in submissions { submission.reply(.failure(EngineError(.closed, "the engine is closed"))) }
        } else if startDrain {
            queue.async { self.drain() }
        }
    }

    /// Refuses new commands and returns once everything already submitted is answered (even
    /// if the calling task is cancelled meanwhile: an answer is never left behind).
    func close() async {
        let accepted = pending.withLock { pending in
            pending.closed = true
            return pending.accepted
        }
        let answered = self.answered
        _ = await Task { await answered.wait(until: accepted) }.value
    }

    /// Answers one submission, and counts it for ``close()``. On `queue` only.
    private func answer(_ submission: Submission, _ result: Result<CommandResult, any Error>) {
        submission.reply(result)
        answeredCount += 1
        answered.advance(to: answeredCount)
    }

    /// One transaction being assembled: its commands, each decided as it is taken, and what
    /// they append.
    private struct Batch {
        /// The state before the batch, restored if the store refuses the transaction.
        let before: LifecycleState
        var submissions: [Submission] = []
        // Replies and events only: each answer gets the batch's final state, so that the
        // persistent state is not copied path by path for every command of the batch.
        var answers: [Result<(reply: Decision.Reply, events: [RecordedEvent]), any Error>] = []
        var appended: [RecordedEvent] = []
        var checkpoints: [String: UInt64] = [:]
    }

    private func drain() {
        var previous = 0
        while true {
            var batch = Batch(before: state)
            guard take(into: &batch, whenEmpty: .stopDraining) else { return }
            gather(into: &batch, toward: previous)
            write(batch)
            previous = batch.submissions.count
        }
    }

    private enum WhenEmpty { case stopDraining, keepDraining }

    /// Takes the commands queued now (up to the batch limit) and decides each into `batch`.
    /// Returns whether it took any; with `.stopDraining`, taking none ends this drain, under
    /// the same lock that `submit` checks.
    private func take(into batch: inout Batch, whenEmpty: WhenEmpty) -> Bool {
        let room = configuration.maxBatchSize - batch.submissions.count
        let taken = pending.withLock { pending -> [Submission] in
            let take = min(pending.submissions.count, room)
            if take == 0, whenEmpty == .stopDraining { pending.draining = false }
            defer { pending.submissions.removeFirst(take) }
            return Array(pending.submissions.prefix(take))
        }
        for submission in taken { decide(submission, into: &batch) }
        return !taken.isEmpty
    }

    /// After a batch of several commands, the callers just answered are usually about to send
    /// their next commands: for a little while (at most ``EngineConfiguration/batchGatherMicroseconds``)
    /// take and decide them as they arrive, so that one sync carries them all and the deciding
    /// overlaps their arrival. A lone caller never waits.
    private func gather(into batch: inout Batch, toward previous: Int) {
        let limit = configuration.batchGatherMicroseconds
        guard previous > 1, limit > 0 else { return }
        let deadline = ContinuousClock.now + .microseconds(limit)
        while batch.submissions.count < min(previous, configuration.maxBatchSize), ContinuousClock.now < deadline {
            if pending.withLock({ $0.closed }) { return }
            if !take(into: &batch, whenEmpty: .keepDraining) { usleep(10) }
        }
    }

    /// Decides one command against the state its predecessors in the batch left.
    private func decide(_ submission: Submission, into batch: inout Batch) {
        batch.submissions.append(submission)
        // Fencing: a leader whose term has ended stores nothing, not even a checkpoint.
        if let term = submission.term, let leading = state.leadership, leading.term > term {
            batch.answers.append(.failure(EngineError(
                .deposed, "term \(term) has ended: \(leading.instance) leads in term \(leading.term)")))
            return
        }
        if let checkpoint = submission.checkpoint {
            batch.checkpoints[checkpoint.handler] = max(batch.checkpoints[checkpoint.handler] ?? 0, checkpoint.sequence)
        }
        guard let command = submission.command else {
            batch.answers.append(.success((.done, [])))
            return
        }
        let now = state.decisionTime(clock.now())
        let context = DecisionContext(now: now, ids: ids, configuration: configuration.lifecycle)
        do {
            for (id, field) in [(submission.correlationId, "correlationId"), (submission.causationId, "causationId")] {
                if let id, let problem = RecordedEvent.identifierProblem(id, field) {
                    throw LifecycleError(.validationFailed, problem)
                }
            }
            let decision = try ShiftlogCore.decide(command, state: state, context: context)
            let correlation = submission.correlationId ?? ids.next(.command)
            let events = state.record(
                decision.events, at: now, correlationId: correlation, causationId: submission.causationId)
            batch.appended += events
            batch.answers.append(.success((decision.reply, events)))
        } catch {
            batch.answers.append(.failure(error))
        }
    }

    /// Folds the events that other writers of a shared store appended after the state's last
    /// sequence, and publishes the state that includes them. With `onlyIfAnnounced`, reads the
    /// store only if it has announced an event the state lacks (see
    /// ``EventLog/announcedSequence``): a follower woken by this writer's own append has
    /// nothing to read, and the check runs on the writer's queue, after that append's state is
    /// published. Returns whether it read the store.
    @discardableResult
    func catchUp(onlyIfAnnounced: Bool = false) async throws -> Bool {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
            queue.async {
                if onlyIfAnnounced, let announced = self.log.announcedSequence, announced <= self.state.lastSequence {
                    continuation.resume(returning: false)
                    return
                }
                continuation.resume(with: Result { try self.foldTail() }.map { true })
            }
        }
    }

    /// ``catchUp(onlyIfAnnounced:)``'s work. On `queue` only.
    private func foldTail() throws {
        dispatchPrecondition(condition: .onQueue(queue))
        let before = state.lastSequence
        while true {
            let events = try log.read(after: state.lastSequence, limit: 1_024)
            for event in events { state.apply(event) }
            if events.count < 1_024 { break }
        }
        if state.lastSequence != before { publish(state) }
    }

    /// Folds the events another writer appended, then decides and writes the batch's
    /// commands again on the fresh state.
    private func redecide(_ batch: Batch, conflicts: Int) {
        state = batch.before
        do {
            try foldTail()
        } catch {
            for submission in batch.submissions {
                answer(submission, .failure(EngineError(.storage, "the write was not stored: \(error)")))
            }
            return
        }
        var again = Batch(before: state)
        for submission in batch.submissions { decide(submission, into: &again) }
        write(again, conflicts: conflicts + 1)
    }

    /// Folds, decides and writes the batch again while the other writers wait
    /// (``racesBeforeTakingTurn``); if the turn cannot be had, its callers are failed as for
    /// any write that was not stored.
    private func takeTurn(_ batch: Batch, conflicts: Int) {
        WriterMetrics.turnTaken()
        do {
            try log.withAppendsExcluded { redecide(batch, conflicts: conflicts) }
        } catch {
            state = batch.before
            for submission in batch.submissions {
                answer(submission, .failure(EngineError(.storage, "the write was not stored: \(error)")))
            }
        }
    }

    /// How many times in a row a batch may lose the race for the next sequence of a shared
    /// store before its commands are failed (each loss means another writer made progress).
    /// After ``racesBeforeTakingTurn`` losses it takes its turn, which it cannot lose, so
    /// this bound is only reached against a writer that does not honour turns.
    private static let conflictRetries = 64
    /// Lost races in a row after which a batch takes its turn: it folds, decides and appends
    /// while no other writer can append (``EventLog/withAppendsExcluded(_:)``). Racing stays
    /// the rule, since a turn costs a round trip and stops every other writer meanwhile;
    /// the turn is what guarantees progress (issue 22: one batch lost 64 races in a row and
    /// its callers were failed).
    static let racesBeforeTakingTurn = 3

    /// Appends the batch in one transaction and answers its callers once it is durable.
    private func write(_ batch: Batch, conflicts: Int = 0) {
        if isShared, conflicts < Self.conflictRetries, batch.answers.contains(where: \.isRefusal),
            let last = try? log.lastSequence(), last != batch.before.lastSequence
        {
            // A refusal decided on a state that another instance has moved on since (an item
            // it has just added, say) would be wrong: fold the newer events and decide again.
            redecide(batch, conflicts: conflicts)
            return
        }
        var append = AppendBatch(events: batch.appended, checkpoints: batch.checkpoints)
        if configuration.snapshotInterval > 0, state.lastSequence >= lastSnapshot + configuration.snapshotInterval {
            append.snapshot = StoredSnapshot(sequence: state.lastSequence, bytes: ProjectionSnapshotCodec.encode(state))
        }
        let started = ContinuousClock.now
        do {
            do {
                try log.append(append)
            } catch where append.snapshot != nil && (error as? StoreError)?.code != .conflict {
                // The snapshot may be what does not fit (a full disk, a map at its maximum).
                // It only shortens the next open: write the commands without it, and offer
                // the next one an interval later (encoding it costs a pass over the state).
                // (A lost race for the sequence is not that: it is handled below.)
                logger.warning("snapshot not stored; writing the batch without it", metadata: ["error": "\(error)"])
                append.snapshot = nil
                try log.append(append)
                lastSnapshot = state.lastSequence
            }
            if let snapshot = append.snapshot { lastSnapshot = snapshot.sequence }
            if !append.events.isEmpty { appendFailure.withLock { $0 = nil } }
            WriterMetrics.committed(
                commands: batch.submissions.count, events: batch.appended.count, took: started.duration(to: .now))
        } catch let error as StoreError where error.code == .conflict && conflicts < Self.conflictRetries {
            // Another writer of a shared store took the sequence first: fold what it wrote and
            // decide the same commands again on the fresh state, so that capacity, the budget
            // and file locks hold across writers exactly as within one. A short random pause
            // first, growing with the losses, breaks the symmetry of writers that keep racing
            // (and lets more commands join the next attempt).
            WriterMetrics.lostRace()
            if conflicts + 1 >= Self.racesBeforeTakingTurn {
                takeTurn(batch, conflicts: conflicts)
            } else {
                usleep(UInt32.random(in: 0...(100 << min(UInt32(conflicts), 5))))
                redecide(batch, conflicts: conflicts)
            }
            return
        } catch {
            // The transaction was aborted: the disk still holds the state before this batch.
            logger.error("append failed", metadata: ["error": "\(error)", "commands": "\(batch.submissions.count)"])
            let now = clock.now()
            appendFailure.withLock { $0 = StoreWriteFailure(message: "\(error)", since: $0?.since ?? now) }
            state = batch.before
            if batch.submissions.count > 1 {
                // One command's events must not sink its neighbours: write each on its own.
                for submission in batch.submissions {
                    var single = Batch(before: state)
                    decide(submission, into: &single)
                    write(single)
                }
            } else {
                answer(batch.submissions[0], .failure(EngineError(.storage, "the write was not stored: \(error)")))
            }
            return
        }
        publish(state)
        let committed = state
        for (submission, answer) in zip(batch.submissions, batch.answers) {
            self.answer(submission, answer.map { CommandResult(reply: $0.reply, events: $0.events, state: committed) })
        }
    }
}

extension Result where Failure == any Error {
    /// Whether this answer is a rule's refusal (not a storage failure).
    fileprivate var isRefusal: Bool {
        if case .failure(let error) = self { error is LifecycleError } else { false }
    }
}
