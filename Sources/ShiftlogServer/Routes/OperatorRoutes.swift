import Foundation
import Hummingbird
import ShiftlogCore
import ShiftlogEngine

/// The management routes besides `/api/work`: status, workers (list, kill, logs), queue,
/// metrics, learnings and reviews.
struct OperatorRoutes: Sendable {
    let engine: Engine
    /// Dollars per million input and output tokens, for `/api/metrics`' estimate.
    let costPerMillionTokens: (input: Double, output: Double)

    func add(to api: RouterGroup<ShiftlogRequestContext>) {
        api.get("status") { _, _ in status() }
        api.get("workers") { _, _ in JSONResponse(engine.list()) }
        api.post("workers/{id}/kill") { request, context in try await kill(request, context) }
        api.get("workers/{id}/logs") { request, context in try await logs(request, context) }
        api.get("queue") { request, _ in try queue(request) }
        api.get("metrics") { _, _ in metrics() }
        api.get("reviews") { _, _ in JSONResponse(Array(ReviewView.all(in: engine.state).prefix(100))) }
        api.get("reviews/work-item/{id}") { _, context in try reviews(ofItem: context) }
        api.get("reviews/pr/{number}") { _, context in try review(ofPR: context) }
    }

    func status() -> JSONResponse<StatusView> {
        JSONResponse(StatusView(
            capacity: engine.hasCapacity(), queue: engine.queue.stats(), handlers: engine.handlerStatuses,
            leadership: engine.state.leadership, leading: engine.isLeading))
    }

    /// `POST /api/workers/:id/kill {reason?}` (default "Manual kill").
    func kill(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Success> {
        let id = try parameter("id", context)
        let body = try await RequestBody.read(request)
        try await kill(id, body)
        return JSONResponse(Success())
    }

    /// Kills worker `id` for the body's `reason` (by default "Manual kill"): the route's and
    /// the console's one way.
    func kill(_ id: WorkerID, _ body: RequestBody) async throws(APIError) {
        let reason = try body.string("reason", maxLength: Limits.text) ?? "Manual kill"
        try await Lifecycle.call { try await engine.kill(workerId: id, reason: reason) }
    }

    struct Logs: Encodable, Sendable {
        var workerId: WorkerID
        var logs: [String]
    }

    /// `GET /api/workers/:id/logs?lines=N` (default 1000), blank lines dropped.
    func logs(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Logs> {
        let id = try parameter("id", context)
        let lines = try Query.integer("lines", in: request, range: Limits.logLines) ?? 1_000
        let logs = try await Lifecycle.call { try await engine.getLogs(workerId: id, lines: lines) }
        return JSONResponse(Logs(workerId: id, logs: logs.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }))
    }

    /// `GET /api/queue?type=&status=`: `type` execution or verification; `status` failed,
    /// completed, all or generating (or any other status name); by default the items queued,
    /// assigned or in progress.
    func queue(_ request: Request) throws -> JSONResponse<QueueView> {
        let query = request.uri.queryParameters
        let type = try query.get("type").map { text throws(APIError) -> WorkItemType in
            guard let type = WorkItemType(rawValue: text) else {
                throw APIError.validation("Invalid type parameter \(quoted(text)): use execution or verification")
            }
            return type
        }
        let statuses: Set<WorkItemStatus>?
        switch query.get("status") {
        case nil: statuses = [.queued, .assigned, .inProgress]
        case "all": statuses = nil
        case let text?:
            guard let status = WorkItemStatus(rawValue: text) else {
                throw APIError.validation(
                    "Invalid status parameter '\(text)': use all or one of \(WorkItemStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            statuses = [status]
        }
        return JSONResponse(QueueView(state: engine.state, type: type, statuses: statuses))
    }

    func metrics() -> JSONResponse<MetricsView> {
        JSONResponse(MetricsView(
            state: engine.state, now: engine.now, dailyBudget: engine.configuration.lifecycle.dailyBudget,
            costPerMillionTokens: costPerMillionTokens))
    }

    func reviews(ofItem context: ShiftlogRequestContext) throws -> JSONResponse<[ReviewView]> {
        let id = try parameter("id", context)
        return JSONResponse(ReviewView.all(in: engine.state).filter { $0.workItemId == id })
    }

    func review(ofPR context: ShiftlogRequestContext) throws -> JSONResponse<ReviewView> {
        let text = try parameter("number", context)
        guard let number = Int(text), Limits.prNumber.contains(number) else {
            throw APIError(.invalidInput, "Invalid PR number '\(text)'")
        }
        guard let review = ReviewView.all(in: engine.state).first(where: { $0.prNumber == number }) else {
            throw APIError.notFound("no review of PR #\(number)")
        }
        return JSONResponse(review)
    }

    private func parameter(_ name: String, _ context: ShiftlogRequestContext) throws(APIError) -> String {
        try context.pathParameter(name)
    }
}

/// `GET /api/learnings?repo=&spec=&limit=`: open to the management key and to workers, who
/// call it when they start.
struct LearningRoutes: Sendable {
    let engine: Engine

    func learnings(_ request: Request) throws -> JSONResponse<[LearningView]> {
        let query = request.uri.queryParameters
        let repo = query.get("repo")
        let spec = query.get("spec")?.lowercased()
        let limit = try Query.integer("limit", in: request, range: 1...10_000)
        var selected = LearningView.all(in: engine.state).filter { learning in
            (repo == nil || learning.repo == repo)
                && (spec == nil || (learning.spec?.lowercased().contains(spec!) ?? false))
        }
        if let limit { selected = Array(selected.prefix(limit)) }
        return JSONResponse(selected)
    }
}

/// Query parameters, checked like body fields.
enum Query {
    static func integer(_ name: String, in request: Request, range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.validation("'\(name)' must be a whole number between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}
