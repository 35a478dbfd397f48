import CoreMetrics
import Logging
import ShiftlogCore
import ShiftlogStore
import Synchronization

/// Feeds one handler the log from its checkpoint on, records its outcomes, and stores its
/// position: in the same transaction as its last outcome, or, after events that called for
/// nothing, on its own once it has caught up, at most every `checkpointInterval` (a write per
/// heartbeat would double the writes of a busy service) and when it is stopped. Cancelling
/// the task stops it between two events or inside an effect; an effect cut short is
/// delivered again on restart.
///
/// Nothing that fails is skipped silently. An effect that throws is tried again after a
/// backoff (``EffectRetryPolicy``); after `maxAttempts` it is given up, recorded as an
/// `effectAbandoned` event, and the runner moves on. A read of the log or the storing of an
/// outcome that fails (a full disk, say) is retried with the same backoff until it succeeds,
/// so the runner carries on once the store does. Every failure shows in ``status(head:)``
/// and in metrics; a runner whose task ends while the engine is open says so loudly
/// (a `critical` log, its status, and ``Engine/settle()`` throwing).
final class HandlerRunner: Sendable {
    let handler: any EffectHandler
    private let log: any EventLog
    private let writer: CommandWriter
    private let logger: Logger
    private let policy: EffectRetryPolicy
    private let checkpointInterval: Duration
    /// The leader term this runner acts in (`nil` on a log one process writes).
    private let term: UInt64?
    /// The last sequence applied; finished when the task ends.
    private let applied: ProgressSignal
    private let health = Mutex(Health())
    private let failures: Counter
    private let abandoned: Counter
    private let degraded: Gauge

    private struct Health {
        var consecutiveFailures = 0
        var lastError: String?
        var abandoned = 0
        var running = true
        var stopReason: String?
    }

    /// Why the loop ends.
    private enum Stop: Error {
        case cancelled
        case failed(String)
        /// The rules refused an outcome: an answer, handled where outcomes are stored.
        case refused(String)
    }

    init(
        handler: any EffectHandler, log: any EventLog, writer: CommandWriter, checkpoint: UInt64, policy: EffectRetryPolicy,
        checkpointInterval: Duration = .zero, term: UInt64? = nil, logger: Logger, metrics: any MetricsFactory
    ) {
        self.checkpointInterval = checkpointInterval
        self.term = term
        self.handler = handler
        self.log = log
        self.writer = writer
        self.policy = policy
        self.logger = logger
        self.applied = ProgressSignal(checkpoint)
        let dimensions = [("handler", handler.name)]
        failures = Counter(label: "shiftlog_effect_failures_total", dimensions: dimensions, factory: metrics)
        abandoned = Counter(label: "shiftlog_effects_abandoned_total", dimensions: dimensions, factory: metrics)
        degraded = Gauge(label: "shiftlog_handler_degraded", dimensions: dimensions, factory: metrics)
        degraded.record(0)
    }

    /// Runs until cancelled (or, should that ever happen, until the writer refuses it).
    func run() async {
        do throws(Stop) {
            try await loop()
        } catch {
            switch error {
            case .cancelled: end(reason: nil)
            case .failed(let reason), .refused(let reason): end(reason: reason)
            }
        }
    }

    /// The handler's health, with its lag behind `head`.
    func status(head: UInt64) -> HandlerStatus {
        let position = applied.value
        return health.withLock { health in
            HandlerStatus(
                name: handler.name, appliedSequence: position, lag: head > position ? head - position : 0,
                consecutiveFailures: health.consecutiveFailures, lastError: health.lastError,
                abandonedEffects: health.abandoned, isRunning: health.running, stopReason: health.stopReason)
        }
    }

    /// Waits until the handler has applied `sequence`; `.finished` if its task ended first.
    func waitUntilApplied(_ sequence: UInt64) async -> ProgressSignal.Outcome {
        await applied.wait(until: sequence)
    }

    // MARK: The loop

    /// Where the loop is: the last event applied, and whether that position is stored.
    private struct Position {
        var sequence: UInt64
        var unsaved = false
        var savedAt = ContinuousClock.now
    }

    private func loop() async throws(Stop) {
        var position = Position(sequence: applied.value)
        do throws(Stop) {
            try await follow(&position)
        } catch .cancelled where position.unsaved {
            // Stopped (the engine closes, the leadership ends): store the position once, so
            // that the next start does not see those events again. The writer is still open
            // here. Once the writer has folded a newer term this is refused; a late one can
            // only move the position back (events seen again), never past one not applied.
            _ = try? await writer.submit(
                nil, checkpoint: Checkpoint(handler: handler.name, sequence: position.sequence), term: term)
            throw .cancelled
        }
    }

    /// Events read from the log at a time.
    private static let readLimit = 256

    private func follow(_ position: inout Position) async throws(Stop) {
        while true {
            if Task.isCancelled { throw .cancelled }
            let after = position.sequence
            let batch = try await retrying("cannot read the log", stage: "read") {
                try log.read(after: after, limit: Self.readLimit)
            }
            if batch.isEmpty {
                applied.advance(to: position.sequence)
                if position.unsaved {
                    let due = position.savedAt + checkpointInterval
                    let now = ContinuousClock.now
                    if now < due {
                        // Not yet: wait for more events, or until the position is due.
                        await log.waitForEvents(after: position.sequence, pollInterval: now.duration(to: due))
                        continue
                    }
                    try await savePosition(&position)
                }
                await log.waitForEvents(after: position.sequence, pollInterval: .seconds(1))
                continue
            }
            for event in batch {
                let outcomes = try await perform(event)
                for (index, command) in outcomes.enumerated() {
                    let last = index == outcomes.count - 1
                    try await store(
                        command, after: event, checkpoint: last ? Checkpoint(handler: handler.name, sequence: event.sequence) : nil)
                }
                if outcomes.isEmpty {
                    position.unsaved = true
                } else {
                    position.unsaved = false
                    position.savedAt = .now
                }
                position.sequence = event.sequence
                applied.advance(to: position.sequence)
            }
            // Far behind (catching up after a restart), the handler may not be caught up for a
            // long while: store the position when it is due, not only once caught up.
            if position.unsaved, ContinuousClock.now >= position.savedAt + checkpointInterval, batch.count == Self.readLimit {
                try await savePosition(&position)
            }
        }
    }

    /// Stores the position on its own (no outcome to carry it).
    private func savePosition(_ position: inout Position) async throws(Stop) {
        try await store(nil, after: nil, checkpoint: Checkpoint(handler: handler.name, sequence: position.sequence))
        position.unsaved = false
        position.savedAt = .now
    }

    /// Runs the effect of `event` until it succeeds, or gives it up after `maxAttempts`
    /// failures (then its outcome is the `effectAbandoned` record). A runtime that cannot be
    /// reached at all (``RuntimeUnavailability``) is not the effect failing: that is retried
    /// with backoff until the runtime answers, as a log that cannot be read is, and never
    /// counts toward `maxAttempts` (giving a start up during a daemon restart would send its
    /// item back to the queue for nothing).
    private func perform(_ event: RecordedEvent) async throws(Stop) -> [Command] {
        var attempts = 0
        var unreachable = 0
        while true {
            let state: LifecycleState
            do {
                state = try await writer.state(including: event.sequence)
            } catch {
                throw .cancelled
            }
            do {
                let outcomes = try await handler.handle(event, state: state)
                if Task.isCancelled { throw Stop.cancelled }  // outcome unknown: deliver again after restart
                succeeded()
                return outcomes
            } catch let error as any RuntimeUnavailability where error.runtimeIsUnavailable {
                if Task.isCancelled { throw .cancelled }
                unreachable += 1
                failed("effect of event \(event.sequence) waits for the runtime (try \(unreachable)): \(error)", stage: "runtime")
                try await backOff(after: unreachable)
            } catch {
                if Task.isCancelled { throw .cancelled }
                attempts += 1
                failed("effect of event \(event.sequence) failed (attempt \(attempts)): \(error)", stage: "effect")
                guard attempts < policy.maxAttempts else {
                    logger.error(
                        "effect abandoned",
                        metadata: ["handler": "\(handler.name)", "sequence": "\(event.sequence)", "attempts": "\(attempts)",
                                   "error": "\(error)"])
                    health.withLock { $0.abandoned += 1 }
                    abandoned.increment()
                    return [.recordEffectAbandoned(EffectAbandoned(
                        handler: handler.name, sequence: event.sequence, attempts: attempts, error: "\(error)"))]
                }
                try await backOff(after: attempts)
            }
        }
    }

    /// Stores one outcome (or, with `command` nil, the checkpoint alone), retrying while the
    /// store fails. A refusal by the rules is an answer, not a failure.
    private func store(_ command: Command?, after event: RecordedEvent?, checkpoint: Checkpoint?) async throws(Stop) {
        do {
            _ = try await retrying("outcome not stored", stage: "store") {
                try await writer.submit(
                    command, correlationId: event?.correlationId, causationId: event.map { "seq:\($0.sequence)" },
                    checkpoint: checkpoint, term: term)
            }
        } catch .refused(let reason) {
            logger.debug("outcome refused", metadata: ["handler": "\(handler.name)", "reason": "\(reason)"])
        }
    }

    /// Runs `body` until it succeeds, backing off after each failure. A `LifecycleError` ends
    /// it as `.refused`, a closed writer as `.failed`, cancellation as `.cancelled`.
    private func retrying<T>(_ what: String, stage: String, _ body: () async throws -> T) async throws(Stop) -> T {
        var failures = 0
        while true {
            if Task.isCancelled { throw .cancelled }
            do {
                let value = try await body()
                if failures > 0 { succeeded() }
                return value
            } catch let refusal as LifecycleError {
                if failures > 0 { succeeded() }
                throw .refused("\(refusal)")
            } catch let error as EngineError where error.code == .closed {
                throw .failed("the engine's writer is closed")
            } catch let error as EngineError where error.code == .deposed {
                // Another instance leads now: stop quietly, as when cancelled.
                logger.notice("effect handler deposed", metadata: ["handler": "\(handler.name)", "reason": "\(error)"])
                throw .cancelled
            } catch {
                if Task.isCancelled { throw .cancelled }
                failures += 1
                failed("\(what): \(error)", stage: stage)
                try await backOff(after: failures)
            }
        }
    }

    private func backOff(after failures: Int) async throws(Stop) {
        do {
            try await policy.sleep(policy.backoff(afterFailure: failures))
        } catch {
            throw .cancelled
        }
        if Task.isCancelled { throw .cancelled }
    }

    // MARK: Health

    private func failed(_ message: String, stage: String) {
        health.withLock { health in
            health.consecutiveFailures += 1
            health.lastError = message
        }
        failures.increment()
        degraded.record(1)
        logger.warning("effect handler failure", metadata: ["handler": "\(handler.name)", "stage": "\(stage)", "error": "\(message)"])
    }

    private func succeeded() {
        let wasFailing = health.withLock { health in
            defer { health.consecutiveFailures = 0 }
            return health.consecutiveFailures > 0
        }
        if wasFailing {
            degraded.record(0)
            logger.notice("effect handler recovered", metadata: ["handler": "\(handler.name)"])
        }
    }

    /// The task ends: on cancellation (`reason` nil) quietly, otherwise loudly.
    private func end(reason: String?) {
        health.withLock { health in
            health.running = false
            health.stopReason = reason
        }
        if let reason {
            degraded.record(1)
            logger.critical(
                "effect handler stopped: its effects are no longer applied",
                metadata: ["handler": "\(handler.name)", "reason": "\(reason)"])
        }
        applied.finish()
    }
}
