import Synchronization

/// Wakes in-process readers when the log grows, so that followers and effect handlers react
/// to a commit at once instead of polling.
final class AppendSignal: Sendable {
    private struct State {
        var last: UInt64 = 0
        var nextToken = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Records that the log now ends at `sequence` and wakes every waiter.
    func publish(_ sequence: UInt64) {
        let waiters = state.withLock { state in
            state.last = max(state.last, sequence)
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the log passes `sequence`, when `timeout` elapses, or on cancellation.
    func wait(after sequence: UInt64, timeout: Duration) async {
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            return state.nextToken
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.resume(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.last > sequence || Task.isCancelled { return true }
                    state.waiters[token] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            self.resume(token)
        }
        timer.cancel()
    }

    private func resume(_ token: Int) {
        state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
    }
}
