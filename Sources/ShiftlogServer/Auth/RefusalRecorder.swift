import Logging
import Metrics
import ShiftlogCore
import ShiftlogEngine
import Synchronization

/// Records refused requests as `accessRefused` events, at most `burst` at once and `perSecond`
/// on average (a token bucket), so that a flood of bad requests cannot fill the log: the rest
/// are only counted (`shiftlog_access_refused_unrecorded_total`), so the flood reaches neither
/// the log nor the service's own logs.
final class RefusalRecorder: Sendable {
    private let engine: Engine
    private let logger: Logger
    private let perSecond: Double
    private let burst: Double
    private let bucket: Mutex<(tokens: Double, refilledAt: ContinuousClock.Instant)>
    private let recorded = Counter(label: "shiftlog_access_refused_total")
    private let unrecorded = Counter(label: "shiftlog_access_refused_unrecorded_total")

    init(engine: Engine, logger: Logger, perSecond: Double = 20, burst: Double = 100) {
        self.engine = engine
        self.logger = logger
        self.perSecond = perSecond
        self.burst = burst
        self.bucket = Mutex((burst, ContinuousClock.now))
    }

    func record(_ refusal: AccessRefused) async {
        let allowed = bucket.withLock { bucket -> Bool in
            let now = ContinuousClock.now
            let elapsed = bucket.refilledAt.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.refilledAt = now
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
        guard allowed else {
            unrecorded.increment()  // past the bucket: counted, neither logged nor recorded
            return
        }
        logger.warning(
            "request refused",
            metadata: [
                "route": "\(refusal.route)", "reason": "\(refusal.reason)",
                "target": "\(refusal.targetWorkerId ?? "-")", "presented": "\(refusal.presentedWorkerId ?? "-")",
            ])
        recorded.increment()
        do {
            try await engine.execute(.recordAccessRefused(refusal))
        } catch {
            logger.error("could not record a refused request", metadata: ["error": "\(error)"])
        }
    }
}
