import HTTPTypes
import Hummingbird
import ShiftlogCore
import ShiftlogEngine

/// The routes workers call from inside their containers: register, heartbeat, lock, unlock,
/// complete, fail, stuck. Paths, fields and success codes are whim's, so its worker client
/// works unchanged; every answer carries a JSON body.
struct WorkerRoutes: Sendable {
    let engine: Engine
    let repeats: RepeatedRequests
    /// Where a refused `register` is recorded, as the access middleware records its own.
    let refusals: RefusalRecorder

    func add(to group: RouterGroup<ShiftlogRequestContext>) {
        group.post("{id}/heartbeat") { request, context in try await once("heartbeat", request, context, heartbeat) }
        group.post("{id}/lock") { request, context in try await once("lock", request, context, lock) }
        group.post("{id}/unlock") { request, context in try await once("unlock", request, context, unlock) }
        group.post("{id}/complete") { request, context in
            try await once("complete", request, context, finishing(.completed, complete))
        }
        group.post("{id}/fail") { request, context in try await once("fail", request, context, finishing(.failed, fail)) }
        group.post("{id}/stuck") { request, context in try await once("stuck", request, context, finishing(.stuck, stuck)) }
    }

    typealias Handler<Answer: Encodable & Sendable> = @Sendable (WorkerID, RequestBody) async throws -> JSONResponse<Answer>

    /// Runs a worker route once: a repeat of the worker's last successful request within the
    /// window gets the same answer and appends nothing (``RepeatedRequests``).
    private func once<Answer: Encodable & Sendable>(
        _ route: String, _ request: Request, _ context: ShiftlogRequestContext, _ handler: Handler<Answer>
    ) async throws -> Response {
        let id = try workerId(context)
        let body = try await RequestBody.read(request)
        let fingerprint = RepeatedRequests.fingerprint(route: route, body: body.bytes)
        if let earlier = repeats.answer(for: id, fingerprint: fingerprint) {
            return JSONResponse<Answer>.response(status: earlier.status, bytes: earlier.body)
        }
        let answer = try await handler(id, body)
        // Encoded once: the same bytes are remembered for a repeat and sent now.
        let bytes = try JSONResponseEncoder.encode(answer.value)
        repeats.remember(id, fingerprint: fingerprint, status: answer.status, body: bytes)
        return JSONResponse<Answer>.response(status: answer.status, bytes: bytes)
    }

    /// A route that ends the worker: when the worker is already in the state it asks for (the
    /// first request succeeded and its answer was lost, even across a restart), it is answered
    /// as the first was instead of 409.
    private func finishing(_ status: WorkerStatus, _ handler: @escaping Handler<Success>) -> Handler<Success> {
        { id, body in
            do {
                return try await handler(id, body)
            } catch let error as APIError where error.code == .workerNotActive {
                if engine.state.workers[id]?.status == status { return JSONResponse(Success()) }
                throw error
            }
        }
    }

    /// `POST /api/worker/register {workItemId}` → 201 `{workerId, workItem}`. Open to the
    /// management key, or to the credential of the item's active worker; another worker's
    /// credential is a 403, recorded as an `accessRefused` event.
    func register(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Registered> {
        let body = try await RequestBody.read(request)
        let itemId = try body.string("workItemId", required: true, nonEmpty: true, maxLength: Limits.label)!
        if case .worker(let presented) = context.caller, engine.state.activeWorkerByItem[itemId] != presented {
            await refusals.record(AccessRefused(
                route: "\(request.method) \(context.endpointPath ?? request.uri.path)",
                targetWorkerId: engine.state.activeWorkerByItem[itemId], presentedWorkerId: presented,
                reason: "a credential not of the active worker of item '\(itemId)'"))
            throw APIError(.forbidden, "this credential does not belong to the active worker of item '\(itemId)'")
        }
        let (workerId, item) = try await Lifecycle.call { try await engine.register(workItemId: itemId) }
        return JSONResponse(Registered(workerId: workerId, workItem: item), status: .created)
    }

    struct Registered: Encodable {
        var workerId: WorkerID
        var workItem: WorkItem
    }

    /// The answer to a heartbeat: whim's `{success: true}`, and `cancel` when the worker's item
    /// is being cancelled (whim's client ignores the body; a worker that reads it should end).
    struct HeartbeatAnswer: Encodable, Sendable {
        let success = true
        var cancel: CancelRequest?
    }

    @Sendable func heartbeat(_ id: WorkerID, _ body: RequestBody) async throws -> JSONResponse<HeartbeatAnswer> {
        let beat = Heartbeat(
            iteration: try body.integer("iteration", in: Limits.iteration, required: true)!,
            status: try body.string("status", maxLength: Limits.label),
            tokensIn: try body.integer("tokensIn", in: Limits.tokens),
            tokensOut: try body.integer("tokensOut", in: Limits.tokens))
        let cancel = try await Lifecycle.call { try await engine.heartbeat(workerId: id, beat) }
        return JSONResponse(HeartbeatAnswer(cancel: cancel))
    }

    @Sendable func lock(_ id: WorkerID, _ body: RequestBody) async throws -> JSONResponse<LockResult> {
        let (repo, files) = try lockRequest(body)
        let result = try await Lifecycle.call { try await engine.locks.acquire(workerId: id, repo: repo, files: files) }
        return JSONResponse(result)
    }

    @Sendable func unlock(_ id: WorkerID, _ body: RequestBody) async throws -> JSONResponse<Success> {
        let (repo, files) = try lockRequest(body)
        try await Lifecycle.call { try await engine.locks.release(workerId: id, repo: repo, files: files) }
        return JSONResponse(Success())
    }

    private func lockRequest(_ body: RequestBody) throws(APIError) -> (String, [String]) {
        let repo = try body.string("repo", required: true, nonEmpty: true, maxLength: Limits.label)!
        let files = try body.strings("files", required: true, maxCount: Limits.lockFiles)!
        return (repo, files)
    }

    @Sendable func complete(_ id: WorkerID, _ body: RequestBody) async throws -> JSONResponse<Success> {
        var completion = Completion(
            prUrl: try body.string("prUrl", maxLength: 2_000),
            prNumber: try body.integer("prNumber", in: Limits.prNumber),
            verificationEnabled: try body.bool("verificationEnabled"),
            verificationPassed: try body.bool("verificationPassed"))
        if let review = try body.object("review") {
            completion.review = Review(modelUsed: try review.string("modelUsed", maxLength: Limits.label), findings: review.raw("findings"))
        }
        if let metrics = try body.object("metrics") {
            completion.metrics = WorkerMetrics(
                tokensIn: try metrics.integer("tokensIn", in: Limits.tokens),
                tokensOut: try metrics.integer("tokensOut", in: Limits.tokens),
                duration: try metrics.integer("duration", in: Limits.duration),
                filesModified: try metrics.integer("filesModified", in: Limits.count),
                testsRun: try metrics.integer("testsRun", in: Limits.count),
                testsPassed: try metrics.integer("testsPassed", in: Limits.count),
                testsFailed: try metrics.integer("testsFailed", in: Limits.count),
                testStatus: try metrics.string("testStatus", maxLength: Limits.label))
        }
        for learning in try body.objects("learnings") ?? [] {
            completion.learnings.append(Learning(
                content: try learning.string("content", required: true, maxLength: Limits.text)!,
                spec: try learning.string("spec", maxLength: Limits.text)))
        }
        try await Lifecycle.call { try await engine.complete(workerId: id, completion) }
        return JSONResponse(Success())
    }

    @Sendable func fail(_ id: WorkerID, _ body: RequestBody) async throws -> JSONResponse<Success> {
        let error = try body.string("error", required: true, maxLength: Limits.text)!
        let iteration = try body.integer("iteration", in: Limits.iteration, required: true)!
        let stack = try body.string("stack", maxLength: Limits.text)
        // whim does not validate the category; its client sends the names FailureCategory knows.
        let category = try body.string("category", maxLength: Limits.label).map { FailureCategory(rawValue: $0) ?? .unknown }
        let failureContext = try body.rawObject("context")
        try await Lifecycle.call {
            try await engine.fail(
                workerId: id, error: error, iteration: iteration, stack: stack, category: category, context: failureContext)
        }
        return JSONResponse(Success())
    }

    @Sendable func stuck(_ id: WorkerID, _ body: RequestBody) async throws -> JSONResponse<Success> {
        let reason = try body.string("reason", required: true, maxLength: Limits.text)!
        let attempts = try body.integer("attempts", in: Limits.attempts, required: true)!
        try await Lifecycle.call { try await engine.stuck(workerId: id, reason: reason, attempts: attempts) }
        return JSONResponse(Success())
    }

    private func workerId(_ context: ShiftlogRequestContext) throws(APIError) -> WorkerID {
        try context.pathParameter("id")
    }
}

/// Runs an engine call and turns its refusals into the service's answers.
enum Lifecycle {
    static func call<T: Sendable>(_ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as LifecycleError {
            throw APIError(error)
        } catch let error as EngineError {
            throw APIError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.unavailable, "\(error)")
        }
    }
}
