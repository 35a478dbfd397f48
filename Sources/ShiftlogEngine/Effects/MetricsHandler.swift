public import CoreMetrics
public import ShiftlogCore

/// Records metrics from committed events through swift-metrics: events by type, spawn
/// failures, kills, cancelled items, and the active-worker gauge. Delivery is at-least-once, so a restart may count
/// the events since the last checkpoint twice.
public struct MetricsHandler: EffectHandler {
    /// `metrics`: its checkpoint's name.
    public let name = "metrics"
    let factory: any MetricsFactory

    /// A handler that records through `factory` (the global metrics system by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Counts the event, and updates the gauges it changes.
    public func handle(_ event: RecordedEvent, state: LifecycleState) async throws -> [Command] {
        Counter(label: "shiftlog_events_total", dimensions: [("type", event.type.rawValue)], factory: factory)
            .increment()
        switch event.event {
        case .workerSpawnFailed:
            Counter(label: "shiftlog_spawn_failures_total", factory: factory).increment()
        case .workerKilled, .cancelGraceExpired:
            Counter(label: "shiftlog_workers_killed_total", factory: factory).increment()
        case .workItemCancelled:
            Counter(label: "shiftlog_work_items_cancelled_total", factory: factory).increment()
        default:
            break
        }
        Gauge(label: "shiftlog_active_workers", factory: factory).record(state.activeWorkerCount)
        return []
    }
}
