import HTTPTypes
import ShiftlogCore

extension EventStreamRoutes {
    /// `GET /api/events` as the OpenAPI document describes it (``APIOperation``).
    static let operations: [APIOperation] = [
        APIOperation(
            id: "events", method: .get, mount: .api, path: "events",
            summary: "The log as server-sent events, from a position, then live; the stream does not end.",
            access: .management,
            parameters: [
                .query("after", .string(pattern: "^([0-9]+|now)$"), "Start after this sequence (0 by default), or `now`."),
                .header("Last-Event-ID", .string(pattern: "^[0-9]+$"), "Start after this sequence (wins over `after`)."),
            ],
            answer: APIOperation.Answer(
                status: .ok, description: "`id:` the sequence, `event:` the type, `data:` the event as `shiftlog export` writes it.",
                mediaType: "text/event-stream", schema: event)),
    ]

    /// One message of the stream, as an OpenAPI 3.1 `text/event-stream` schema describes each
    /// event (`data` a JSON text).
    static let event = JSONSchema.object(
        [
            "id": .string(pattern: "^[0-9]+$"), "event": .oneOf(EventType.self),
            "data": JSONSchema.string().adding(["contentMediaType": .string("application/json")]),
        ], required: ["id", "event", "data"])
}
