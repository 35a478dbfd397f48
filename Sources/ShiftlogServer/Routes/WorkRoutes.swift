import HTTPTypes
import Hummingbird
import ShiftlogCore
import ShiftlogEngine

/// `/api/work`: add an item, read it, cancel (one, or by filter), requeue, and find its
/// verification.
struct WorkRoutes: Sendable {
    let engine: Engine
    let specWriter: any SpecWriter

    func add(to group: RouterGroup<ShiftlogRequestContext>) {
        group.post { request, context in try await addItem(request, context) }
        group.get("{id}") { _, context in try item(context) }
        group.post("cancel") { request, _ in try await cancelMatching(request) }
        group.post("{id}/cancel") { request, context in try await cancel(request, context) }
        group.post("{id}/requeue") { _, context in try await requeue(context) }
        group.post("{id}/retry") { request, context in try await retry(request, context) }
        group.post("{id}/priority") { request, context in try await changePriority(request, context) }
        group.get("{id}/verification") { _, context in try verification(context) }
    }

    struct Added: Encodable, Sendable {
        var id: WorkItemID
        var status: WorkItemStatus
    }

    /// `POST /api/work` → 201 `{id, status}`, validated as whim validates it. With an
    /// `Idempotency-Key` header, a repeated add answers with the item the first one queued.
    func addItem(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Added> {
        let body = try await RequestBody.read(request)
        let added = try await add(body, idempotencyKey: try WorkRequest.idempotencyKey(in: request.headers))
        return JSONResponse(added, status: .created)
    }

    /// Queues the item `body` describes (the route's and the console's form's one way in):
    /// with an `idempotencyKey` an item already carries, that item, and nothing is appended.
    func add(_ body: RequestBody, idempotencyKey: String?) async throws(APIError) -> Added {
        var new = try WorkRequest.newItem(from: body)
        new.idempotencyKey = idempotencyKey
        // Checked before a repeat is answered, so a bad body is refused whatever its key.
        do { try new.checkBounds() } catch { throw APIError(error) }
        if let key = new.idempotencyKey, let earlier = engine.state.workItem(idempotencyKey: key) {
            // Answered without asking the spec writer again; the writer checks once more.
            return Added(id: earlier.id, status: earlier.status)
        }
        if new.spec == nil, let description = new.description {
            let (spec, source) = try await Lifecycle.call {
                try await specWriter.spec(forDescription: description, repo: new.repo)
            }
            new.spec = spec
            new.metadata["specSource"] = .string(source)
        }
        if new.branch == nil { new.branch = BranchName.default(forSpec: new.spec ?? "") }
        let item = try await Lifecycle.call { [new] in try await engine.queue.add(new) }
        return Added(id: item.id, status: item.status)
    }

    func item(_ context: ShiftlogRequestContext) throws -> JSONResponse<ItemView> {
        let id = try itemId(context)
        guard let item = engine.queue.get(id) else { throw APIError.notFound("no work item \(quoted(id))") }
        return JSONResponse(view(of: item))
    }

    /// `POST /api/work/:id/retry {requestedBy?}`: a failed or cancelled item runs again now
    /// with a fresh retry count; a queued one waiting for its backoff becomes due. Answers the
    /// item. 404 for an unknown item; 400 `INVALID_STATE` for one assigned, running or
    /// completed, with `details.status`.
    func retry(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<ItemView> {
        let id = try itemId(context)
        return JSONResponse(view(of: try await retry(id, RequestBody.read(request))))
    }

    /// Runs `id` again now as `body` (`requestedBy?`) asks: the route's and the console's one
    /// way in.
    func retry(_ id: WorkItemID, _ body: RequestBody) async throws(APIError) -> WorkItem {
        let requestedBy = try Self.requestedBy(in: body)
        return try await withStatus(of: id) { try await engine.queue.retry(id, requestedBy: requestedBy) }
    }

    /// `POST /api/work/:id/priority {priority, requestedBy?}`: a queued or assigned item takes
    /// the new priority. Answers the item. 404 for an unknown item; 400 `INVALID_STATE` for one
    /// running or ended, with `details.status`.
    func changePriority(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<ItemView> {
        let id = try itemId(context)
        return JSONResponse(view(of: try await changePriority(id, RequestBody.read(request))))
    }

    /// Changes `id`'s priority as `body` (`priority`, `requestedBy?`) asks: the route's and the
    /// console's one way in.
    func changePriority(_ id: WorkItemID, _ body: RequestBody) async throws(APIError) -> WorkItem {
        let priority = try WorkRequest.priority(in: body, required: true)!
        let requestedBy = try Self.requestedBy(in: body)
        return try await withStatus(of: id) { try await engine.queue.changePriority(id, to: priority, requestedBy: requestedBy) }
    }

    /// Who asked for a control: the body's `requestedBy` (1 to 100 characters), or `api`.
    private static func requestedBy(in body: RequestBody) throws(APIError) -> String {
        try body.string("requestedBy", nonEmpty: true, maxLength: 100) ?? "api"
    }

    /// Runs a control and, when the item's state refuses it (`INVALID_STATE`, a 400 as whim
    /// answers its requeue), adds the item's status to the answer's details.
    private func withStatus(of id: WorkItemID, _ body: () async throws -> WorkItem) async throws(APIError) -> WorkItem {
        do {
            return try await Lifecycle.call(body)
        } catch {
            guard error.code == .invalidState else { throw error }
            var answer = error
            answer.details = engine.state.workItems[id].map { ["status": $0.status.rawValue] }
            throw answer
        }
    }

    private func view(of item: WorkItem) -> ItemView {
        ItemView(item, state: engine.state, rules: engine.configuration.lifecycle)
    }

    /// The answer to a cancel: whim's `{success: true}`, the item's status after it, and for
    /// a running item the cancel its worker was asked (`reason?`, `requestedAt`,
    /// `graceSeconds`). A repeat gets the same answer.
    struct Cancelled: Encodable, Sendable {
        let success = true
        var status: WorkItemStatus
        var cancel: CancelRequest?
    }

    /// `POST /api/work/:id/cancel {reason?}`: a queued or assigned item is cancelled; a running
    /// one's worker is asked to end. 404 for an unknown item; 409 `WORK_ITEM_ENDED` with
    /// `details.status` for one that completed or failed. Nothing is appended for either.
    func cancel(_ request: Request, _ context: ShiftlogRequestContext) async throws -> JSONResponse<Cancelled> {
        let id = try itemId(context)
        let outcome = try await cancel(id, try await RequestBody.read(request))
        return JSONResponse(Cancelled(status: outcome.item.status, cancel: outcome.request))
    }

    /// Cancels item `id` for the body's `reason`: the route's and the console's one way.
    func cancel(_ id: WorkItemID, _ body: RequestBody) async throws(APIError) -> CancelOutcome {
        let reason = try body.string("reason", maxLength: Limits.text)
        let outcome: CancelOutcome
        do {
            outcome = try await Lifecycle.call { try await engine.cancel(itemId: id, reason: reason) }
        } catch {
            guard error.code == .workItemEnded else { throw error }
            var answer = error
            answer.details = engine.state.workItems[id].map { ["status": $0.status.rawValue] }
            throw answer
        }
        return outcome
    }

    struct CancelledMatching: Encodable, Sendable {
        /// How many items the cancel recorded: cancelled, or their workers asked to end.
        var count: Int
        var workItemIds: [WorkItemID]
    }

    /// `POST /api/work/cancel {status?, repo?, type?, reason?}`: cancels every item that
    /// matches and has not ended, in one command. `status` is one status or a list of them
    /// (queued, assigned, in_progress); at least one of `status`, `repo` and `type` is needed.
    func cancelMatching(_ request: Request) async throws -> JSONResponse<CancelledMatching> {
        let body = try await RequestBody.read(request)
        let ids = try await cancelMatching(body)
        return JSONResponse(CancelledMatching(count: ids.count, workItemIds: ids))
    }

    /// Cancels what the body's filter matches: the route's and the console's one way.
    func cancelMatching(_ body: RequestBody) async throws(APIError) -> [WorkItemID] {
        let statuses: [String]?
        if case .string(let one)? = body.raw("status") { statuses = [one] } else { statuses = try body.strings("status", maxCount: 3, maxLength: Limits.label) }
        let filter = WorkItemFilter(
            statuses: try statuses.map { names throws(APIError) in
                Set(try names.map { name throws(APIError) -> WorkItemStatus in
                    guard let status = WorkItemStatus(rawValue: name), WorkItemFilter.cancellableStatuses.contains(status) else {
                        throw APIError.validation("'status' must be queued, assigned or in_progress, or a list of them")
                    }
                    return status
                })
            },
            repo: try body.string("repo", nonEmpty: true, maxLength: 200),
            type: try body.string("type").map { text throws(APIError) -> WorkItemType in
                guard let type = WorkItemType(rawValue: text) else { throw APIError.validation("'type' must be execution or verification") }
                return type
            })
        let reason = try body.string("reason", maxLength: Limits.text)
        return try await Lifecycle.call { try await engine.queue.cancel(matching: filter, reason: reason) }
    }

    func requeue(_ context: ShiftlogRequestContext) async throws -> JSONResponse<WorkItem> {
        let id = try itemId(context)
        return JSONResponse(try await Lifecycle.call { try await engine.queue.requeue(id) })
    }

    /// The newest verification item whose parent is `:id`.
    func verification(_ context: ShiftlogRequestContext) throws -> JSONResponse<WorkItem> {
        let id = try itemId(context)
        let state = engine.state
        guard let parent = state.workItems[id] else { throw APIError.notFound("no work item \(quoted(id))") }
        guard parent.type == .execution else {
            throw APIError(.invalidType, "work item '\(id)' is a verification item; ask its parent")
        }
        let newest = state.workItems.values
            .filter { $0.type == .verification && $0.parentWorkItemId == id }
            .max { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        guard let newest else { throw APIError.notFound("work item '\(id)' has no verification item") }
        return JSONResponse(newest)
    }

    private func itemId(_ context: ShiftlogRequestContext) throws(APIError) -> WorkItemID {
        try context.pathParameter("id")
    }
}

/// The body of `POST /api/work`, checked field by field with whim's rules. `package` so that
/// the fuzz harness (`Fuzz/HTTPBody`) can feed it bodies.
package enum WorkRequest {
    package static func newItem(from body: RequestBody) throws(APIError) -> NewWorkItem {
        let repo = try body.string("repo", required: true, nonEmpty: true, maxLength: 200)!
        guard isRepoName(repo) else { throw APIError.validation("'repo' must look like owner/name") }
        let spec = try body.string("spec", nonEmpty: true, maxLength: 100_000)
        let description = try body.string("description", nonEmpty: true, maxLength: 50_000)
        guard (spec == nil) != (description == nil) else {
            throw APIError.validation("give exactly one of 'spec' and 'description'")
        }
        let branch = try body.string("branch", nonEmpty: true, maxLength: 250)
        if let branch, !isBranchName(branch) {
            throw APIError.validation("'branch' must start with a letter or digit and hold only letters, digits, '/', '_', '.' and '-'")
        }
        return NewWorkItem(
            repo: repo, branch: branch, spec: spec, description: description, type: .execution,
            priority: try priority(in: body) ?? .medium, maxIterations: try body.integer("maxIterations", in: Limits.maxIterations),
            source: try body.string("source", maxLength: 50), sourceRef: try body.string("sourceRef", maxLength: 200),
            metadata: try body.rawObject("metadata") ?? [:], policy: try PolicyRequest.policy(in: body))
    }

    /// The body's `priority`: one of low, medium, high, critical.
    static func priority(in body: RequestBody, required: Bool = false) throws(APIError) -> Priority? {
        try body.string("priority", required: required).map { text throws(APIError) -> Priority in
            guard let priority = Priority(rawValue: text) else {
                throw APIError.validation("'priority' must be one of low, medium, high, critical")
            }
            return priority
        }
    }

    /// The `Idempotency-Key` header: 1 to 200 visible ASCII characters.
    static func idempotencyKey(in headers: HTTPFields) throws(APIError) -> String? {
        guard let key = headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        return try idempotencyKey(key)
    }

    /// `key` checked as an `Idempotency-Key`: 1 to 200 visible ASCII characters.
    static func idempotencyKey(_ key: String) throws(APIError) -> String {
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.validation("'Idempotency-Key' must be 1 to 200 visible ASCII characters")
        }
        return key
    }

    /// `^[a-zA-Z0-9][-a-zA-Z0-9]*/[a-zA-Z0-9._-]+$`
    static func isRepoName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = parts[0].first, isAlphanumeric(first), !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy { isAlphanumeric($0) || $0 == "-" }
            && parts[1].allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// `^[a-zA-Z0-9][a-zA-Z0-9/_.-]*$`
    static func isBranchName(_ text: String) -> Bool {
        guard let first = text.first, isAlphanumeric(first) else { return false }
        return text.allSatisfy { isAlphanumeric($0) || "/_.-".contains($0) }
    }

    private static func isAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }
}
