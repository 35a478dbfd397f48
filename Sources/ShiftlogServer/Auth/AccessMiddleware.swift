import HTTPTypes
import Hummingbird
import ShiftlogCore

/// Checks the caller of every route of one kind (``AccessMiddleware/Kind``) before its
/// handler runs, sets ``ShiftlogRequestContext/caller``, and records each refusal through the
/// ``RefusalRecorder`` (so an incident shows who tried what) before answering 401 or 403.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = ShiftlogRequestContext

    enum Kind: Sendable {
        /// Needs the management key when one is set.
        case management
        /// Acts for the worker in the path's `:id`: needs its credential (or the management key).
        case worker
        /// `GET /api/learnings`: management access or any worker's credential.
        case learnings
        /// `POST /api/worker/register`: checked here as for `learnings`; the route then checks
        /// that a worker's credential belongs to the item's active worker.
        case register
    }

    let kind: Kind
    let policy: AccessPolicy
    let refusals: RefusalRecorder

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let pathCredential = context.parameters.get("credential")
        let caller = policy.caller(headers: request.headers, pathCredential: pathCredential)
        context.caller = caller
        let managementOpen = policy.apiKey == nil
        // Only refusals need the route's name; the requests let through never build it.
        var route: String { "\(request.method) \(context.endpointPath ?? request.uri.path)" }
        switch (kind, caller) {
        case (_, .management):
            return try await next(request, context)
        case (.management, _), (.learnings, .anonymous), (.register, .anonymous):
            if managementOpen { return try await next(request, context) }
            if kind == .management, policy.isConsoleRead(method: request.method, headers: request.headers) {
                return try await next(request, context)
            }
        case (.learnings, .worker), (.register, .worker):
            return try await next(request, context)
        case (.worker, .worker(let presented)):
            let target = context.parameters.get("id")
            if presented == target { return try await next(request, context) }
            await refusals.record(AccessRefused(
                route: route, targetWorkerId: target, presentedWorkerId: presented, reason: "another worker's credential"))
            throw APIError(.forbidden, "this credential belongs to another worker")
        case (.worker, .anonymous):
            break
        }
        let reason: String
        var presentedWorker: WorkerID?
        if case .worker(let worker) = caller {
            reason = "a worker's credential on a management route"
            presentedWorker = worker
        } else {
            let presented = policy.presentsSomething(headers: request.headers, pathCredential: pathCredential)
            reason = presented ? "invalid credential" : "missing credential"
        }
        await refusals.record(AccessRefused(
            route: route, targetWorkerId: kind == .worker ? context.parameters.get("id") : nil,
            presentedWorkerId: presentedWorker, reason: reason))
        throw APIError(
            .unauthorized,
            kind == .worker
                ? "Unauthorized: a worker route needs that worker's credential (the /w/<credential> URL it was given, or Authorization: Bearer)"
                : "Unauthorized: this route needs the API key (X-API-Key or Authorization: Bearer)")
    }
}
