import HTTPTypes
import ShiftlogCore

extension WorkerRoutes {
    /// The worker routes as the OpenAPI document describes them (``APIOperation``).
    static let operations: [APIOperation] = [
        APIOperation(
            id: "registerWorker", method: .post, mount: .api, path: "worker/register",
            summary: "Register a worker for an item: marks its active worker running, or creates one.",
            access: .register,
            body: .body(["workItemId": .string(minLength: 1, maxLength: Limits.label)], required: ["workItemId"]),
            answer: .json(
                .created,
                .object(["workerId": .string(), "workItem": .named("WorkItem")], required: ["workerId", "workItem"]),
                "The worker and its item."),
            failures: [.forbidden, .notFound, .invalidState, .capacityExhausted], writes: true,
            links: workerLinks(from: "$response.body#/workerId")),
        worker(
            "heartbeat", "Record that the worker is alive, at an iteration.",
            body: .body(
                [
                    "iteration": .integer(Limits.iteration), "status": .string(maxLength: Limits.label),
                    "tokensIn": .integer(Limits.tokens), "tokensOut": .integer(Limits.tokens),
                ], required: ["iteration"]),
            answer: .object(["success": .alwaysTrue, "cancel": .named("CancelRequest")], required: ["success"])),
        worker(
            "lock", "Take file locks in a repository; paths other workers hold come back blocked.", body: lockBody,
            answer: .object(
                ["acquired": .boolean, "blockedFiles": .array(.string()), "cancel": .named("CancelRequest")],
                required: ["acquired", "blockedFiles"])),
        worker("unlock", "Release file locks.", body: lockBody, answer: .named("Success")),
        worker(
            "complete", "Report the work done, with its pull request, review, metrics and learnings.",
            body: .body([
                "prUrl": .string(maxLength: 2_000), "prNumber": .integer(Limits.prNumber), "verificationEnabled": .boolean,
                "verificationPassed": .boolean,
                "review": .body(["modelUsed": .string(maxLength: Limits.label), "findings": .anything]),
                "metrics": .body([
                    "tokensIn": .integer(Limits.tokens), "tokensOut": .integer(Limits.tokens),
                    "duration": .integer(Limits.duration), "filesModified": .integer(Limits.count),
                    "testsRun": .integer(Limits.count), "testsPassed": .integer(Limits.count),
                    "testsFailed": .integer(Limits.count), "testStatus": .string(maxLength: Limits.label),
                ]),
                "learnings": .array(
                    .body(
                        ["content": .string(maxLength: Limits.text), "spec": .string(maxLength: Limits.text)], required: ["content"]),
                    maxItems: 1_000),
            ]),
            answer: .named("Success")),
        worker(
            "fail", "Report a failure: the item is retried or fails, per the rules.",
            body: .body(
                [
                    "error": .string(maxLength: Limits.text, pattern: nonBlank), "iteration": .integer(Limits.iteration),
                    "stack": .string(maxLength: Limits.text), "category": .string(maxLength: Limits.label),
                    "context": .anyObject,
                ], required: ["error", "iteration"]),
            answer: .named("Success")),
        worker(
            "stuck", "Report that the worker is stuck.",
            body: .body(
                ["reason": .string(maxLength: Limits.text, pattern: nonBlank), "attempts": .integer(Limits.attempts)],
                required: ["reason", "attempts"]),
            answer: .named("Success")),
    ]

    /// The white space the core trims (Unicode's White_Space, Swift's `isWhitespace`), as a
    /// regular expression's character class; neither ECMAScript's nor Python's `\\s` is the
    /// same set.
    static let whiteSpace = "\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000"

    /// A string with something besides white space (the core trims what it is given).
    static let nonBlank = "[^\(whiteSpace)]"

    /// A path the core takes as a file to lock (`LockPath`): after the white space around the
    /// whole is trimmed, one of its `/`-separated segments is other than empty, `.` and `..`.
    /// Exact for a path without `..` segments; with them, the core counts (a path is refused if
    /// they climb above the root or leave nothing), which no regular expression can, and
    /// scripts/api_fuzz_checks.py knows it.
    static let lockPath: String = {
        let w = "[\(whiteSpace)]"  // white space
        let n = "[^/\(whiteSpace)]"  // neither white space nor a slash
        let s = "[^/.\(whiteSpace)]"  // nor a dot
        // A segment other than "", "." and "..": led by no dot, or by one and then no dot, or by
        // two and then anything. Where the path's own white space is trimmed (its start, its
        // end), the segment must start or end past it. No lookaround: generators are slow on it.
        let inside = "(?:[^/.][^/]*|\\.[^/.][^/]*|\\.\\.[^/]+)"
        let ending = "(?:\(s)|[^/.][^/]*\(n)|\\.\(s)|\\.[^/.][^/]*\(n)|\\.\\.[^/]*\(n))"
        let alone = "(?:\(s)(?:[^/]*\(n))?|\\.\(s)|\\.[^/.][^/]*\(n)|\\.\\.[^/]*\(n))"
        return [
            "^\(w)*(?:\(s)[^/]*|\\.[^/.][^/]*|\\.\\.[^/]+)/",  // the first segment
            "/\(inside)/",  // a segment between two
            "/\(ending)\(w)*$",  // the last segment
            "^\(w)*\(alone)\(w)*$",  // the only one
        ].joined(separator: "|")
    }()

    static let lockBody = JSONSchema.body(
        [
            "repo": .string(maxLength: Limits.label, pattern: nonBlank),
            "files": .array(.string(maxLength: 4_096, pattern: lockPath), maxItems: Limits.lockFiles)
                .adding(["minItems": .integer(1)]),
        ], required: ["repo", "files"])

    /// `POST worker/{id}/<route>`, for the worker `{id}` (its credential or the management key).
    private static func worker(_ route: String, _ summary: String, body: JSONSchema, answer: JSONSchema) -> APIOperation {
        APIOperation(
            id: "\(route)Worker", method: .post, mount: .api, path: "worker/{id}/\(route)", summary: summary, access: .worker,
            body: body, answer: .json(.ok, answer, "Done."), failures: [.workerNotActive, .invalidState], writes: true)
    }

    /// From an answer naming a worker to the routes that act on it.
    static func workerLinks(from workerId: String) -> [APIOperation.Link] {
        ["heartbeat", "lock", "unlock", "complete", "fail", "stuck"].map {
            APIOperation.Link(name: $0, operation: "\($0)Worker", parameters: ["id": workerId])
        } + [
            APIOperation.Link(name: "kill", operation: "killWorker", parameters: ["id": workerId]),
            APIOperation.Link(name: "logs", operation: "workerLogs", parameters: ["id": workerId]),
        ]
    }
}

extension LearningRoutes {
    /// `GET /api/learnings` as the OpenAPI document describes it.
    static let operations: [APIOperation] = [
        APIOperation(
            id: "learnings", method: .get, mount: .api, path: "learnings",
            summary: "Learnings recorded by workers, newest first; open to the management key and to any worker.",
            access: .learnings,
            parameters: [
                .query("repo", .string(), "Only this repository's."),
                .query("spec", .string(), "Only those whose spec holds this text (ignoring case)."),
                .query("limit", .integer(1...10_000), "At most this many."),
            ],
            answer: .json(
                .ok,
                .array(.object(
                    [
                        "id": .string(), "repo": .string(), "spec": JSONSchema.string().orNull, "content": .string(),
                        "embedding": JSONSchema.array(.number).orNull, "createdAt": .time, "workItemId": .string(),
                    ], required: ["id", "repo", "spec", "content", "embedding", "createdAt", "workItemId"])),
                "The learnings.")),
    ]
}
