import HTTPTypes
import ShiftlogCore

extension OperatorRoutes {
    /// The management routes besides `/api/work`, as the OpenAPI document describes them
    /// (``APIOperation``).
    static let operations: [APIOperation] = [
        APIOperation(
            id: "status", method: .get, mount: .api, path: "status",
            summary: "Capacity, queue, rate limits, effect handlers and the leader.", access: .management,
            answer: .json(.ok, status, "whim's status, plus the effect handlers and the leader.")),
        APIOperation(
            id: "workers", method: .get, mount: .api, path: "workers", summary: "Every worker the projections hold, newest first.",
            access: .management, answer: .json(.ok, .array(.named("Worker")), "The workers.")),
        APIOperation(
            id: "killWorker", method: .post, mount: .api, path: "workers/{id}/kill",
            summary: "Stop a worker now; its item is retried per the rules.", access: .management,
            body: .body(["reason": .string(maxLength: Limits.text)]), answer: .json(.ok, .named("Success"), "Killed."),
            failures: [.workerNotActive, .invalidState], writes: true),
        APIOperation(
            id: "workerLogs", method: .get, mount: .api, path: "workers/{id}/logs",
            summary: "The last lines of a worker's output, blank lines dropped.", access: .management,
            parameters: [.query("lines", .integer(Limits.logLines), "How many lines (1000 by default).")],
            answer: .json(
                .ok, .object(["workerId": .string(), "logs": .array(.string())], required: ["workerId", "logs"]), "The lines."),
            failures: [.noContainer, .unavailable]),
        APIOperation(
            id: "queue", method: .get, mount: .api, path: "queue",
            summary: "Items in queue order (by default those queued, assigned or in progress) and counts of all.",
            access: .management,
            parameters: [
                .query("type", .oneOf(WorkItemType.self), "Only items of this type."),
                .query("status", .strings(["all"] + WorkItemStatus.allCases.map(\.rawValue)), "Only items of this status, or all."),
            ],
            answer: .json(
                .ok,
                .object(
                    [
                        "items": .array(.named("WorkItem")),
                        "stats": .object(
                            ["total": .integer(), "byStatus": .map(.integer()), "byPriority": .map(.integer())],
                            required: ["total", "byStatus", "byPriority"]),
                    ], required: ["items", "stats"]),
                "The items and the counts.")),
        APIOperation(
            id: "metrics", method: .get, mount: .api, path: "metrics", summary: "whim's dashboard figures.", access: .management,
            answer: .json(.ok, metrics, "The figures.")),
        APIOperation(
            id: "reviews", method: .get, mount: .api, path: "reviews", summary: "The newest 100 reviews.", access: .management,
            answer: .json(.ok, .array(review), "The reviews, newest first.")),
        APIOperation(
            id: "reviewsOfWorkItem", method: .get, mount: .api, path: "reviews/work-item/{id}", summary: "The reviews of an item.",
            access: .management, answer: .json(.ok, .array(review), "Its reviews, newest first.")),
        APIOperation(
            id: "reviewOfPullRequest", method: .get, mount: .api, path: "reviews/pr/{number}",
            summary: "The newest review of a pull request.", access: .management, answer: .json(.ok, review, "The review."),
            failures: [.invalidInput]),
    ]

    static let status = JSONSchema.object(
        [
            "status": .strings(["healthy", "degraded"]),
            "workers": .object(["active": .integer(), "maxWorkers": .integer()], required: ["active", "maxWorkers"]),
            "queue": .object(["size": .integer(), "oldest": JSONSchema.time.orNull], required: ["size", "oldest"]),
            "rateLimits": .object(
                [
                    "iterationsToday": .integer(), "dailyBudget": .integer(), "lastSpawn": JSONSchema.time.orNull,
                    "cooldownSeconds": .integer(),
                ], required: ["iterationsToday", "dailyBudget", "lastSpawn", "cooldownSeconds"]),
            "effects": .array(.named("Effect")),
            "leader": JSONSchema.object(
                ["instance": .string(), "term": .integer(), "leading": .boolean], required: ["instance", "term", "leading"]
            ).orNull,
        ], required: ["status", "workers", "queue", "rateLimits", "effects", "leader"])

    static let metrics = JSONSchema.object(
        [
            "activeWorkers": .integer(), "queuedItems": .integer(), "completedToday": .integer(), "failedToday": .integer(),
            "cancelledToday": .integer(), "iterationsToday": .integer(), "dailyBudget": .integer(),
            "avgCompletionTime": .number, "successRate": .number,
            "verification": .object(
                ["total": .integer(), "passed": .integer(), "failed": .integer(), "pending": .integer(), "passRate": .number],
                required: ["total", "passed", "failed", "pending", "passRate"]),
            "tokenUsage": .object(
                ["tokensIn": .integer(), "tokensOut": .integer(), "estimatedCostUsd": .number],
                required: ["tokensIn", "tokensOut", "estimatedCostUsd"]),
        ],
        required: [
            "activeWorkers", "queuedItems", "completedToday", "failedToday", "cancelledToday", "iterationsToday", "dailyBudget",
            "avgCompletionTime", "successRate", "verification", "tokenUsage",
        ])

    static let review = JSONSchema.object(
        [
            "id": .string(), "workItemId": .string(), "prNumber": JSONSchema.integer().orNull, "reviewTimestamp": .time,
            "modelUsed": JSONSchema.string().orNull, "findings": .anything, "createdAt": .time, "updatedAt": .time,
        ], required: ["id", "workItemId", "prNumber", "reviewTimestamp", "modelUsed", "findings", "createdAt", "updatedAt"])
}
