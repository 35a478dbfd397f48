import Hummingbird
import ShiftlogCore
import ShiftlogEngine

/// The routes workers call from inside their containers: register, heartbeat, lock, unlock,
/// complete, fail, stuck. Paths, fields and success codes are whim's, so its worker client
/// works unchanged; every answer carries a JSON body.
struct WorkerRoutes: Sendable {
    let engine: Engine

    func add(to group: RouterGroup<ShiftlogRequestContext>) {
        group.post("{id}/heartbeat") { request, context in try await heartbeat(request, context) }
        group.post("{id}/lock") { request, context in try await lock(request, context) }
        group.post("{id}/unlock") { request, context in try await unlock(request, context) }
        group.post("{id}/complete") { request, context in try await complete(request, context) }
        group.post("{id}/fail") { request, context in try await fail(request, context) }
        group.post("{id}/stuck") { request, context in try await stuck(request, context) }
    }

    /// `POST /api/worker/register {workItemId}` → 201 `{workerId, workItem}`. Open to the
    /// management key, or to the credential of the item's active worker.
    func register(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Registered> {
        let body = try await RequestBody.read(request)
        let itemId = try body.string("workItemId", required: true, nonEmpty: true, maxLength: Limits.label)!
        if case .worker(let presented) = context.caller, engine.state.activeWorkerByItem[itemId] != presented {
            throw APIError(.forbidden, code: "FORBIDDEN", "this credential does not belong to the active worker of item '\(itemId)'")
        }
        let (workerId, item) = try await Lifecycle.call { try await engine.register(workItemId: itemId) }
        return JSONResponse(Registered(workerId: workerId, workItem: item), status: .created)
    }

    struct Registered: Encodable {
        var workerId: WorkerID
        var workItem: WorkItem
    }

    func heartbeat(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Success> {
        let id = try workerId(context)
        let body = try await RequestBody.read(request)
        let beat = Heartbeat(
            iteration: try body.integer("iteration", in: Limits.iteration, required: true)!,
            status: try body.string("status", maxLength: Limits.label),
            tokensIn: try body.integer("tokensIn", in: Limits.tokens),
            tokensOut: try body.integer("tokensOut", in: Limits.tokens))
        try await Lifecycle.call { try await engine.heartbeat(workerId: id, beat) }
        return JSONResponse(Success())
    }

    func lock(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<LockResult> {
        let id = try workerId(context)
        let (repo, files) = try await lockRequest(request)
        let result = try await Lifecycle.call { try await engine.locks.acquire(workerId: id, repo: repo, files: files) }
        return JSONResponse(result)
    }

    func unlock(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Success> {
        let id = try workerId(context)
        let (repo, files) = try await lockRequest(request)
        try await Lifecycle.call { try await engine.locks.release(workerId: id, repo: repo, files: files) }
        return JSONResponse(Success())
    }

    private func lockRequest(_ request: Request) async throws(APIError) -> (String, [String]) {
        let body = try await RequestBody.read(request)
        let repo = try body.string("repo", required: true, nonEmpty: true, maxLength: Limits.label)!
        let files = try body.strings("files", required: true, maxCount: Limits.lockFiles)!
        return (repo, files)
    }

    func complete(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Success> {
        let id = try workerId(context)
        let body = try await RequestBody.read(request)
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

    func fail(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Success> {
        let id = try workerId(context)
        let body = try await RequestBody.read(request)
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

    func stuck(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Success> {
        let id = try workerId(context)
        let body = try await RequestBody.read(request)
        let reason = try body.string("reason", required: true, maxLength: Limits.text)!
        let attempts = try body.integer("attempts", in: Limits.attempts, required: true)!
        try await Lifecycle.call { try await engine.stuck(workerId: id, reason: reason, attempts: attempts) }
        return JSONResponse(Success())
    }

    private func workerId(_ context: ShiftlogRequestContext) throws(APIError) -> WorkerID {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw APIError.routeNotFound }
        return id
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
            throw APIError(.serviceUnavailable, code: "UNAVAILABLE", "\(error)")
        }
    }
}
