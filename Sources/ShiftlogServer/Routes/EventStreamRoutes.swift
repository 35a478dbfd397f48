import HTTPTypes
import Hummingbird
import ShiftlogEngine
import ShiftlogStore

/// `GET /api/events?after=SEQ`: the log as server-sent events (``EventStream``), a
/// management route.
struct EventStreamRoutes: Sendable {
    let engine: Engine
    let settings: EventStreamSettings
    let metrics: EventStreamMetrics
    /// Reads and encodes the batches of every stream of this server.
    let reader: EventBatchReader

    static let noBuffering = HTTPField.Name("X-Accel-Buffering")!

    func add(to api: RouterGroup<ShiftlogRequestContext>) {
        api.get("events") { request, context in try events(request, context) }
    }

    /// Every event after `after` (default 0; `now`: the log's head) or after the
    /// `Last-Event-ID` header's sequence, then each new one: `id: <sequence>`,
    /// `event: <type>`, `data: <the event as export writes it>`.
    func events(_ request: Request, _ context: ShiftlogRequestContext) throws -> Response {
        let after = try EventStreamStart.position(of: request, head: try engine.log.lastSequence())
        let stream = EventStream(
            log: engine.log, reader: reader, after: after, settings: settings, metrics: metrics, channel: context.channel,
            logger: context.logger)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", Self.noBuffering: "no"],
            body: ResponseBody { writer in try await stream.run(&writer) })
    }
}
