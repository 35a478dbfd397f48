import HTTPTypes

extension ShiftlogHTTPServer {
    /// The service's own routes at the root, as the OpenAPI document describes them
    /// (``APIOperation``).
    static let operations: [APIOperation] = [
        APIOperation(
            id: "health", method: .get, mount: .root, path: "health",
            summary: "Whether the store takes writes and the effect handlers keep up; always open.",
            answer: .json(.ok, healthBody,
                "The store takes writes."),
            otherAnswers: [.json(.serviceUnavailable, healthBody, "The store refuses writes (a full disk): `status` degraded.")]),
        APIOperation(
            id: "prometheusMetrics", method: .get, mount: .root, path: "metrics",
            summary: "The service's metrics in Prometheus' text format.", access: .management,
            answer: APIOperation.Answer(
                status: .ok, description: "Prometheus text format 0.0.4.", mediaType: "text/plain", schema: .string())),
        APIOperation(
            id: "openAPIDocument", method: .get, mount: .root, path: "openapi.json",
            summary: "This document; always open.",
            answer: .json(.ok, .anyObject, "The OpenAPI 3.1 document of every route.")),
    ]

    static let healthBody = JSONSchema.object(
        [
            "status": .strings(["ok", "degraded"]), "store": .string(), "lastSequence": .integer(),
            "effects": .array(.named("Effect")),
        ], required: ["status", "store", "lastSequence", "effects"])
}
