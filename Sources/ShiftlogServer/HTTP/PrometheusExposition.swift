import Hummingbird
import Metrics
import Prometheus
import ShiftlogCore
import ShiftlogEngine

/// `GET /metrics`: the registry in Prometheus' text format, with the gauges read off the
/// projections (workers by status, queue depth, each effect handler's lag, whether the store
/// takes writes) brought up to date first (through
/// swift-metrics, which `shiftlog serve` bootstraps with this registry).
struct PrometheusExposition: ResponseGenerator {
    let registry: PrometheusCollectorRegistry
    let engine: Engine

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let state = engine.state
        var byStatus = Dictionary(uniqueKeysWithValues: WorkerStatus.allCases.map { ($0, 0) })
        for worker in state.workers.values { byStatus[worker.status, default: 0] += 1 }
        for (status, count) in byStatus {
            Gauge(label: "shiftlog_workers", dimensions: [("status", status.rawValue)]).record(count)
        }
        Gauge(label: "shiftlog_queue_depth").record(state.queuedItems.count)
        // Items by status, `cancelled` apart from `failed`; the retired ones counted too.
        for (status, count) in state.queueStats.byStatus {
            Gauge(label: "shiftlog_work_items", dimensions: [("status", status)]).record(count)
        }
        Gauge(label: "shiftlog_cancels_under_way").record(state.cancelRequests.count)
        Gauge(label: "shiftlog_log_last_sequence").record(Double(state.lastSequence))
        Gauge(label: "shiftlog_store_writable").record(engine.storeWriteFailure == nil ? 1 : 0)
        for handler in engine.handlerStatuses {
            Gauge(label: "shiftlog_handler_lag_events", dimensions: [("handler", handler.name)]).record(Double(handler.lag))
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
