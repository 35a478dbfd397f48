import HTTPTypes
import ShiftlogCore

extension WorkRoutes {
    /// The `/api/work` routes as the OpenAPI document describes them (``APIOperation``).
    static let operations: [APIOperation] = [
        APIOperation(
            id: "addWorkItem", method: .post, mount: .api, path: "work",
            summary: "Queue a work item; with an Idempotency-Key, a repeat answers with the item the first queued.",
            access: .management,
            parameters: [
                .header(
                    "Idempotency-Key", .string(minLength: 1, maxLength: 200, pattern: "^[!-~]*$"),
                    "1 to 200 visible ASCII characters: an add with a key an item already carries queues nothing."),
            ],
            body: JSONSchema.body(
                [
                    "repo": .string(maxLength: 200, pattern: "^[a-zA-Z0-9][-a-zA-Z0-9]*/[a-zA-Z0-9._-]+$"),
                    "spec": .string(minLength: 1, maxLength: 100_000),
                    "description": .string(minLength: 1, maxLength: 50_000),
                    "branch": .string(maxLength: 250, pattern: "^[a-zA-Z0-9][a-zA-Z0-9/_.-]*$"),
                    "priority": .oneOf(Priority.self), "maxIterations": .integer(Limits.maxIterations),
                    "source": .string(maxLength: 50), "sourceRef": .string(maxLength: 200), "metadata": .anyObject,
                    "retry": retryPolicy, "attemptTimeoutSeconds": .integer(whole(Limit.attemptTimeoutSeconds)),
                    "deadlineSeconds": .integer(whole(Limit.deadlineSeconds)),
                ], required: ["repo"]
            ).adding([
                // Exactly one of the two, null being absent.
                "oneOf": .array([
                    .object(["allOf": .array([JSONSchema.present("spec"), JSONSchema.absent("description")])]),
                    .object(["allOf": .array([JSONSchema.present("description"), JSONSchema.absent("spec")])]),
                ])
            ]),
            answer: .json(
                .created, .object(["id": .string(), "status": .oneOf(WorkItemStatus.self)], required: ["id", "status"]),
                "The item queued (or, for a repeated Idempotency-Key, the first one)."),
            writes: true,
            links: [
                APIOperation.Link(name: "get", operation: "getWorkItem", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(name: "cancel", operation: "cancelWorkItem", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(name: "requeue", operation: "requeueWorkItem", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(name: "retry", operation: "retryWorkItem", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(name: "priority", operation: "changeWorkItemPriority", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(name: "verification", operation: "workItemVerification", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(name: "reviews", operation: "reviewsOfWorkItem", parameters: ["id": "$response.body#/id"]),
                APIOperation.Link(
                    name: "register", operation: "registerWorker",
                    requestBody: .object(["workItemId": .string("$response.body#/id")])),
            ]),
        APIOperation(
            id: "getWorkItem", method: .get, mount: .api, path: "work/{id}", summary: "A work item.", access: .management,
            answer: .json(.ok, .named("WorkItem"), "The item.")),
        APIOperation(
            id: "cancelWorkItems", method: .post, mount: .api, path: "work/cancel",
            summary: "Cancel every item that matches and has not ended, in one command.", access: .management,
            body: JSONSchema.body([
                "status": JSONSchema([
                    "anyOf": .array([
                        cancellable.json, JSONSchema.array(cancellable, maxItems: 3).adding(["minItems": .integer(1)]).json,
                    ])
                ]),
                "repo": .string(maxLength: 200, pattern: WorkerRoutes.nonBlank), "type": .oneOf(WorkItemType.self),
                "reason": .string(maxLength: Limits.text),
            ]).adding([
                "anyOf": .array(["status", "repo", "type"].map { JSONSchema.present($0) })
            ]),
            answer: .json(
                .ok, .object(["count": .integer(), "workItemIds": .array(.string())], required: ["count", "workItemIds"]),
                "How many items the cancel recorded, and which."),
            writes: true),
        APIOperation(
            id: "cancelWorkItem", method: .post, mount: .api, path: "work/{id}/cancel",
            summary: "Cancel an item: a queued or assigned one at once; a running one's worker is asked to end.",
            access: .management, body: .body(["reason": .string(maxLength: Limits.text)]),
            answer: .json(
                .ok,
                .object(
                    ["success": .alwaysTrue, "status": .oneOf(WorkItemStatus.self), "cancel": .named("CancelRequest")],
                    required: ["success", "status"]),
                "The item's status after the cancel (a repeat: the same answer)."),
            failures: [.workItemEnded, .invalidState], writes: true),
        APIOperation(
            id: "requeueWorkItem", method: .post, mount: .api, path: "work/{id}/requeue",
            summary: "Queue a failed, completed or cancelled item again.", access: .management,
            answer: .json(.ok, .named("WorkItem"), "The item, queued."), failures: [.invalidState], writes: true),
        APIOperation(
            id: "retryWorkItem", method: .post, mount: .api, path: "work/{id}/retry",
            summary: "Run a failed or cancelled item again now with a fresh retry count, or make a queued item waiting for its backoff due now.",
            access: .management, body: .body(["requestedBy": .string(minLength: 1, maxLength: 100, pattern: WorkerRoutes.nonBlank)]),
            answer: .json(.ok, .named("WorkItem"), "The item, queued (a queued item already due: as it is, nothing recorded)."),
            failures: [.invalidState], writes: true),
        APIOperation(
            id: "changeWorkItemPriority", method: .post, mount: .api, path: "work/{id}/priority",
            summary: "Change a queued or assigned item's priority; the queue order follows.", access: .management,
            body: .body(
                ["priority": .oneOf(Priority.self), "requestedBy": .string(minLength: 1, maxLength: 100, pattern: WorkerRoutes.nonBlank)],
                required: ["priority"]),
            answer: .json(.ok, .named("WorkItem"), "The item with its new priority."), failures: [.invalidState], writes: true),
        APIOperation(
            id: "workItemVerification", method: .get, mount: .api, path: "work/{id}/verification",
            summary: "The newest verification item of an execution item.", access: .management,
            answer: .json(.ok, .named("WorkItem"), "The verification item."), failures: [.invalidType]),
    ]

    /// An item's own retry rules (`PolicyRequest`): the ranges are the core's
    /// (`WorkItemPolicy`), the fractions whole thousandths.
    private static let retryPolicy = JSONSchema.body([
        "maxRetries": .integer(ShiftlogSettings.maxRetries.range),
        "schedule": JSONSchema.array(.integer(whole(Limit.backoffSeconds)), maxItems: ShiftlogSettings.backoffScheduleLength.upperBound)
            .adding(["minItems": .integer(Int64(ShiftlogSettings.backoffScheduleLength.lowerBound))]),
        "exponential": JSONSchema.body(
            [
                "initial": .integer(whole(Limit.backoffSeconds)), "factor": fraction(Limit.factorPerMille),
                "max": .integer(whole(Limit.maxBackoffSeconds)),
            ],
            required: ["initial", "factor", "max"]
        ).adding(["additionalProperties": .bool(false)]),
        "jitter": fraction(Limit.jitterPerMille),
        "nonRetryable": .array(.oneOf(FailureCategory.self), maxItems: PolicyRequest.maxCategories),
    ]).adding([
        "additionalProperties": .bool(false),
        "not": .object(["allOf": .array([JSONSchema.present("schedule"), JSONSchema.present("exponential")])]),
    ])

    /// The core's ranges of a policy's numbers (`WorkItemPolicy.Bounds`).
    private typealias Limit = WorkItemPolicy.Bounds

    /// A range of whole seconds as the document's integers take it.
    private static func whole(_ range: ClosedRange<Int64>) -> ClosedRange<Int> { Int(range.lowerBound)...Int(range.upperBound) }

    /// A number in `perMille`'s range, given in thousandths, written with at most three
    /// decimals (``Thousandths``).
    private static func fraction(_ perMille: ClosedRange<Int64>) -> JSONSchema {
        func value(_ thousandths: Int64) -> JSONValue {
            thousandths % 1_000 == 0 ? .integer(thousandths / 1_000) : .number(Double(thousandths) / 1_000)
        }
        return JSONSchema([
            "type": .string("number"), "minimum": value(perMille.lowerBound), "maximum": value(perMille.upperBound),
            "multipleOf": .number(0.001),
        ])
    }

    /// A status a cancel by filter applies to.
    private static let cancellable = JSONSchema.strings(
        WorkItemStatus.allCases.filter(WorkItemFilter.cancellableStatuses.contains).map(\.rawValue))
}
