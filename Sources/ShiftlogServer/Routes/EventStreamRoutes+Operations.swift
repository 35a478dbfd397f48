import HTTPTypes
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
                mediaType: "text/event-stream", schema: .string())),
    ]
}
