import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ShiftlogCore
import Synchronization

/// Answers a worker's repeated request as the first was answered, appending nothing.
///
/// whim's client retries a request whose answer was lost (3 attempts, 100 and 200 ms apart).
/// For each worker the service keeps the fingerprint (route and body) of its last successful
/// request and the answer, for `window` (10 s): a request with the same fingerprint within
/// the window gets the stored answer and never reaches the writer. After the window an
/// identical heartbeat is a new heartbeat (clients send the same iteration on every tool
/// use), and an identical `complete`, `fail` or `stuck` of a worker already in that state is
/// answered `{success: true}` by the route (see ``WorkerRoutes``), which also covers a retry
/// that reaches a restarted service.
final class RepeatedRequests: Sendable {
    struct Answer: Sendable {
        var fingerprint: [UInt8]
        var status: HTTPResponse.Status
        var body: [UInt8]
        var at: ContinuousClock.Instant
    }

    private let answers = Mutex<[WorkerID: Answer]>([:])
    private let window: Duration
    private let capacity: Int

    init(window: Duration = .seconds(10), capacity: Int = 10_000) {
        self.window = window
        self.capacity = capacity
    }

    static func fingerprint(route: String, body: [UInt8]) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: Array(route.utf8) + [0])
        hash.update(data: body)
        return Array(hash.finalize())
    }

    /// The stored answer to this very request, if it is a repeat within the window.
    func answer(for workerId: WorkerID, fingerprint: [UInt8]) -> Answer? {
        let now = ContinuousClock.now
        return answers.withLock { answers in
            guard let answer = answers[workerId], answer.fingerprint == fingerprint,
                answer.at.duration(to: now) <= window
            else { return nil }
            return answer
        }
    }

    /// Keeps the answer to a request that succeeded.
    func remember(_ workerId: WorkerID, fingerprint: [UInt8], status: HTTPResponse.Status, body: [UInt8]) {
        let now = ContinuousClock.now
        answers.withLock { answers in
            if answers.count >= capacity {
                // Forget what is past the window; if all are recent, the oldest.
                answers = answers.filter { $0.value.at.duration(to: now) <= window }
                if answers.count >= capacity, let oldest = answers.min(by: { $0.value.at < $1.value.at }) {
                    answers[oldest.key] = nil
                }
            }
            answers[workerId] = Answer(fingerprint: fingerprint, status: status, body: body, at: now)
        }
    }
}
