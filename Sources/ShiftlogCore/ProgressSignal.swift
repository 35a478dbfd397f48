import Synchronization

/// A value that only grows (a sequence number, a count), and tasks waiting for it to reach a
/// target: the one "wait until N" primitive of Shiftlog (the log's end for followers, the
/// writer's published state, a handler's applied position, a fake runtime's counters).
///
/// The check of the value and the registration of a waiter happen under one lock, and
/// ``advance(to:)`` changes the value and takes the waiters it wakes under the same lock, so
/// no wake-up is lost between a waiter's check and its suspension. A wait ends when the
/// value reaches its target, when the signal is ``finish()``ed, or when the waiting task is
/// cancelled; which one is in its result.
public final class ProgressSignal: Sendable {
    /// Why a wait ended.
    public enum Outcome: Sendable, Hashable {
        /// The value reached the target.
        case reached
        /// The signal was finished before the value reached the target.
        case finished
        /// The waiting task was cancelled, or the timeout passed.
        case cancelled
    }

    private struct Waiter {
        var target: UInt64
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var value: UInt64
        var finished = false
        var nextToken = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state: Mutex<State>

    /// A signal whose value starts at `initial`.
    public init(_ initial: UInt64 = 0) {
        state = Mutex(State(value: initial))
    }

    /// The value now.
    public var value: UInt64 { state.withLock { $0.value } }

    /// Whether ``finish()`` was called.
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Raises the value to `value` (a lower one is ignored) and wakes every waiter whose
    /// target it reaches.
    public func advance(to value: UInt64) {
        let ready = state.withLock { state -> [CheckedContinuation<Outcome, Never>] in
            guard value > state.value else { return [] }
            state.value = value
            var ready: [CheckedContinuation<Outcome, Never>] = []
            for (token, waiter) in state.waiters where waiter.target <= value {
                ready.append(waiter.continuation)
                state.waiters[token] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: .reached) }
    }

    /// Ends every wait, now and later, that has not reached its target, with `.finished`: the
    /// producer has stopped. The value can still be advanced.
    public func finish() {
        let all = state.withLock { state -> [CheckedContinuation<Outcome, Never>] in
            state.finished = true
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in all { continuation.resume(returning: .finished) }
    }

    /// Suspends until the value is at least `target`, the signal is finished, or the task is
    /// cancelled. A value already there answers at once, even when finished or cancelled.
    @discardableResult
    public func wait(until target: UInt64) async -> Outcome {
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            return state.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Outcome? in
                    if state.value >= target { return .reached }
                    if state.finished { return .finished }
                    // Checked under the lock that `onCancel` takes: either this sees the
                    // cancellation, or `onCancel` sees the waiter.
                    if Task.isCancelled { return .cancelled }
                    state.waiters[token] = Waiter(target: target, continuation: continuation)
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: token) }?.continuation.resume(returning: .cancelled)
        }
    }

    /// As ``wait(until:)``, giving up (`.cancelled`) after `timeout`.
    @discardableResult
    public func wait(until target: UInt64, timeout: Duration) async -> Outcome {
        if value >= target { return .reached }
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await self.wait(until: target) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            // The timer ended first: the wait is cancelled, but may have been reached meanwhile.
            if let first { return first }
            return await group.next().flatMap { $0 } ?? .cancelled
        }
    }
}
