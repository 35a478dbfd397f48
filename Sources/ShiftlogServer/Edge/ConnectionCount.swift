import Metrics
import Synchronization

/// The connections open at once, against `MAX_CONNECTIONS`; `shiftlog_http_connections` shows
/// the count.
final class ConnectionCount: Sendable {
    let maximum: Int
    private let count = Atomic(0)
    private let gauge = Gauge(label: "shiftlog_http_connections")

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts a new connection; whether it is within the maximum (one past it is still counted,
    /// until it closes).
    func open() -> Bool {
        let now = count.add(1, ordering: .relaxed).newValue
        gauge.record(now)
        return now <= maximum
    }

    /// Counts a connection closed.
    func close() {
        gauge.record(count.subtract(1, ordering: .relaxed).newValue)
    }
}
