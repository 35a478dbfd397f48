import Synchronization

/// The pace every `GET /api/events` stream's batches share: at most
/// ``EventStreamSettings/catchUpBytesPerSecond`` encoded bytes a second in all, after a burst of
/// ``burst`` bytes.
///
/// A stream catching up on a long log is background work: the bytes it is sent cost the
/// server's cores (reading, encoding, writing to the socket) and, on the same machine, the
/// client's. Unpaced, 200 streams catching up at once took the cores from the writer and the
/// request handlers, and a heartbeat's p99 more than doubled (issue 22). A live stream's
/// batches are small, so following the log is never held back; a stream catching up is
/// slowed, not refused.
///
/// A virtual clock: each batch reserves its bytes' share of a second after the reservations
/// before it, and waits until its turn, less the burst. Waiting is a task's sleep, never a
/// thread's.
final class CatchUpPace: Sendable {
    private let bytesPerSecond: Double
    private let burst: Double
    /// When the reservations made so far are paid off, in seconds since `origin`.
    private let paidOff = Mutex<Double>(0)
    private let origin: ContinuousClock.Instant

    /// A pace of `bytesPerSecond`, letting `burst` bytes through at once, its clock starting
    /// at `origin`.
    init(bytesPerSecond: Int, burst: Int, origin: ContinuousClock.Instant = .now) {
        self.bytesPerSecond = Double(max(1, bytesPerSecond))
        self.burst = Double(max(0, burst))
        self.origin = origin
    }

    /// Reserves `bytes` and returns how long their sender must wait first (zero while the
    /// burst lasts).
    func reserve(_ bytes: Int, now: ContinuousClock.Instant = .now) -> Duration {
        let elapsed = Self.seconds(origin.duration(to: now))
        let due = paidOff.withLock { paidOff -> Double in
            paidOff = max(paidOff, elapsed) + Double(bytes) / bytesPerSecond
            return paidOff
        }
        let wait = due - elapsed - burst / bytesPerSecond
        return wait > 0 ? .nanoseconds(Int64(wait * 1e9)) : .zero
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
