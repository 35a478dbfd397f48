import Metrics
import Synchronization

/// The event stream's metrics: `shiftlog_event_streams_open` (a gauge of the streams open
/// now) and `shiftlog_event_stream_dropped_total` (clients dropped for not reading).
final class EventStreamMetrics: Sendable {
    private let open = Mutex(0)
    private let openGauge: Gauge
    private let droppedCounter: Counter

    init(factory: any MetricsFactory) {
        openGauge = Gauge(label: "shiftlog_event_streams_open", factory: factory)
        droppedCounter = Counter(label: "shiftlog_event_stream_dropped_total", factory: factory)
    }

    /// A stream began.
    func opened() { change(by: 1) }

    /// A stream ended, however it ended.
    func closed() { change(by: -1) }

    /// A client was dropped for not taking its writes.
    func dropped() { droppedCounter.increment() }

    private func change(by delta: Int) {
        // Recorded under the lock, so the gauge's last value is the count's last value.
        open.withLock { count in
            count += delta
            openGauge.record(count)
        }
    }
}
