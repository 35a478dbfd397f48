import ShiftlogCore

/// The shapes of the service's answers, by name, for the document's `components.schemas`.
/// Every member the service writes is listed and required (absent values are written as
/// `null`, as whim's clients expect), except where the answer leaves a member out (`cancel`).
/// schemathesis checks every answer of a run against them (`scripts/api-fuzz`).
enum APISchemas {
    static let all: [String: JSONSchema] = [
        "Error": .object(
            [
                "error": .string(),
                "code": .strings(APIErrorCode.all.map(\.description)),
                "details": .map(.string()),
            ], required: ["error", "code"]),
        "Success": .object(["success": .alwaysTrue], required: ["success"]),
        "WorkItem": workItem,
        "Worker": worker,
        "CancelRequest": .object(
            ["reason": .string(), "requestedAt": .time, "graceSeconds": .integer()], required: ["requestedAt", "graceSeconds"]),
        "Effect": .object(
            [
                "name": .string(), "appliedSequence": .integer(), "lag": .integer(), "consecutiveFailures": .integer(),
                "abandonedEffects": .integer(), "lastError": JSONSchema.string().orNull, "running": .boolean, "degraded": .boolean,
            ], required: ["name", "appliedSequence", "lag", "consecutiveFailures", "abandonedEffects", "lastError", "running", "degraded"]),
    ]

    static let workItem = JSONSchema.object(
        [
            "id": .string(), "repo": .string(), "branch": JSONSchema.string().orNull, "spec": JSONSchema.string().orNull,
            "description": JSONSchema.string().orNull, "type": .oneOf(WorkItemType.self), "priority": .oneOf(Priority.self),
            "status": .oneOf(WorkItemStatus.self), "workerId": JSONSchema.string().orNull, "iteration": .integer(),
            "maxIterations": .integer(), "retryCount": .integer(), "nextRetryAt": JSONSchema.time.orNull,
            "prUrl": JSONSchema.string().orNull, "prNumber": JSONSchema.integer().orNull,
            "parentWorkItemId": JSONSchema.string().orNull, "verificationPassed": JSONSchema.boolean.orNull,
            "source": JSONSchema.string().orNull, "sourceRef": JSONSchema.string().orNull, "createdAt": .time,
            "updatedAt": .time, "completedAt": JSONSchema.time.orNull, "error": JSONSchema.string().orNull,
            "metadata": .anyObject,
            // Shiftlog's own, only for an item that gave a policy or has a deadline.
            "policy": .anyObject, "deadlineAt": .time,
        ],
        required: [
            "id", "repo", "branch", "spec", "description", "type", "priority", "status", "workerId", "iteration",
            "maxIterations", "retryCount", "nextRetryAt", "prUrl", "prNumber", "parentWorkItemId", "verificationPassed",
            "source", "sourceRef", "createdAt", "updatedAt", "completedAt", "error", "metadata",
        ])

    static let worker = JSONSchema.object(
        [
            "id": .string(), "workItemId": .string(), "status": .oneOf(WorkerStatus.self), "mode": .oneOf(SpawnMode.self),
            "iteration": .integer(), "lastHeartbeat": .time, "startedAt": .time, "completedAt": JSONSchema.time.orNull,
            "containerId": JSONSchema.string().orNull, "error": JSONSchema.string().orNull,
        ],
        required: ["id", "workItemId", "status", "mode", "iteration", "lastHeartbeat", "startedAt", "completedAt", "containerId", "error"])
}
