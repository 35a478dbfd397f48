import Logging
import ShiftlogCore
import ShiftlogStore
import Synchronization

/// Feeds one handler the log from its checkpoint on, records its outcomes, and stores its
/// position: in the same transaction as its last outcome, or on its own when it has caught
/// up. Cancelling the task stops it between two events or inside an effect; an effect cut
/// short is delivered again on restart.
final class HandlerRunner: Sendable {
    let handler: any EffectHandler
    private let log: any EventLog
    private let writer: CommandWriter
    private let logger: Logger
    private let progress: Mutex<Progress>

    private struct Progress {
        var applied: UInt64
        var stopped = false
        var waiters: [(UInt64, CheckedContinuation<Void, Never>)] = []
    }

    init(handler: any EffectHandler, log: any EventLog, writer: CommandWriter, checkpoint: UInt64, logger: Logger) {
        self.handler = handler
        self.log = log
        self.writer = writer
        self.logger = logger
        self.progress = Mutex(Progress(applied: checkpoint))
    }

    /// Runs until cancelled.
    func run() async {
        defer { markStopped() }
        var position = progress.withLock { $0.applied }
        var unsaved = false
        while !Task.isCancelled {
            let batch: [RecordedEvent]
            do {
                batch = try log.read(after: position, limit: 256)
            } catch {
                logger.critical("handler stopped: cannot read the log", metadata: ["handler": "\(handler.name)", "error": "\(error)"])
                return
            }
            if batch.isEmpty {
                if unsaved {
                    guard (try? await writer.submit(nil, checkpoint: Checkpoint(handler: handler.name, sequence: position))) != nil
                    else { return }
                    unsaved = false
                }
                markApplied(position)
                await log.waitForEvents(after: position, pollInterval: .seconds(1))
                continue
            }
            for event in batch {
                let outcomes: [Command]
                do {
                    outcomes = try await handler.handle(event, state: await writer.state(including: event.sequence))
                } catch {
                    logger.error("effect failed", metadata: ["handler": "\(handler.name)", "sequence": "\(event.sequence)", "error": "\(error)"])
                    outcomes = []
                }
                if Task.isCancelled { return }  // outcome unknown: deliver again after restart
                for (index, command) in outcomes.enumerated() {
                    let checkpoint = index == outcomes.count - 1 ? Checkpoint(handler: handler.name, sequence: event.sequence) : nil
                    do {
                        _ = try await writer.submit(
                            command, correlationId: event.correlationId, causationId: "seq:\(event.sequence)",
                            checkpoint: checkpoint)
                    } catch let refusal as LifecycleError {
                        logger.debug("outcome refused", metadata: ["handler": "\(handler.name)", "reason": "\(refusal)"])
                    } catch {
                        logger.error("handler stopped: outcome not stored", metadata: ["handler": "\(handler.name)", "error": "\(error)"])
                        return
                    }
                }
                unsaved = outcomes.isEmpty
                position = event.sequence
                markApplied(position)
            }
        }
    }

    /// Returns once the handler has applied `sequence` (or has stopped).
    func waitUntilApplied(_ sequence: UInt64) async {
        await withCheckedContinuation { continuation in
            let ready = progress.withLock { progress -> Bool in
                if progress.applied >= sequence || progress.stopped { return true }
                progress.waiters.append((sequence, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func markApplied(_ sequence: UInt64) {
        let ready = progress.withLock { progress -> [CheckedContinuation<Void, Never>] in
            progress.applied = max(progress.applied, sequence)
            let (done, waiting) = progress.waiters.partitioned { $0.0 <= progress.applied }
            progress.waiters = waiting
            return done.map(\.1)
        }
        for waiter in ready { waiter.resume() }
    }

    private func markStopped() {
        let all = progress.withLock { progress -> [CheckedContinuation<Void, Never>] in
            progress.stopped = true
            defer { progress.waiters = [] }
            return progress.waiters.map(\.1)
        }
        for waiter in all { waiter.resume() }
    }
}

extension Array {
    /// The elements that satisfy `belongs`, and the rest, each in order.
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = []
        var no: [Element] = []
        for element in self {
            if belongs(element) { yes.append(element) } else { no.append(element) }
        }
        return (yes, no)
    }
}
