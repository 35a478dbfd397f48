import Foundation
import HTTPTypes
import ShiftlogConsole
import ShiftlogCore
import ShiftlogEngine

/// The console's buttons on the service: each form becomes the body its HTTP route reads and
/// goes through that route's own code (``WorkRoutes``, ``OperatorRoutes``), so a form is
/// checked, decided and refused exactly as `curl` would be; a refusal keeps its status and
/// message.
struct ServiceConsoleActions: ConsoleActions {
    let work: WorkRoutes
    let operators: OperatorRoutes

    func addItem(_ fields: [String: String], idempotencyKey: String) async throws(ConsoleActionError) -> WorkItemID {
        var body: [String: JSONValue] = [:]
        for name in ["repo", "spec", "priority", "branch"] {
            if let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
                body[name] = .string(value)
            }
        }
        if let text = fields["maxIterations"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            // A number when it reads as one; otherwise the text, which the route refuses by name.
            body["maxIterations"] = Int(text).map { .number(Double($0)) } ?? .string(text)
        }
        return try await refused { () async throws(APIError) in
            try await work.add(RequestBody(fields: body), idempotencyKey: try WorkRequest.idempotencyKey(idempotencyKey)).id
        }
    }

    func cancel(itemId: WorkItemID, reason: String?) async throws(ConsoleActionError) -> WorkItemStatus {
        try await refused { () async throws(APIError) in try await work.cancel(itemId, Self.body(reason: reason)).item.status }
    }

    func cancel(matching filter: WorkItemFilter, reason: String?) async throws(ConsoleActionError) -> [WorkItemID] {
        var body = Self.body(reason: reason).fields
        if let statuses = filter.statuses { body["status"] = .array(statuses.map(\.rawValue).sorted().map(JSONValue.string)) }
        if let repo = filter.repo { body["repo"] = .string(repo) }
        if let type = filter.type { body["type"] = .string(type.rawValue) }
        return try await refused { () async throws(APIError) in try await work.cancelMatching(RequestBody(fields: body)) }
    }

    func retry(itemId: WorkItemID, requestedBy: String) async throws(ConsoleActionError) {
        _ = try await refused { () async throws(APIError) in
            try await work.retry(itemId, RequestBody(fields: ["requestedBy": .string(requestedBy)]))
        }
    }

    func changePriority(itemId: WorkItemID, to priority: Priority, requestedBy: String) async throws(ConsoleActionError) {
        _ = try await refused { () async throws(APIError) in
            try await work.changePriority(
                itemId, RequestBody(fields: ["priority": .string(priority.rawValue), "requestedBy": .string(requestedBy)]))
        }
    }

    func kill(workerId: WorkerID, reason: String?) async throws(ConsoleActionError) {
        try await refused { () async throws(APIError) in try await operators.kill(workerId, Self.body(reason: reason)) }
    }

    private static func body(reason: String?) -> RequestBody {
        RequestBody(fields: reason.map { ["reason": .string($0)] } ?? [:])
    }

    private func refused<T: Sendable>(_ action: () async throws(APIError) -> T) async throws(ConsoleActionError) -> T {
        do {
            return try await action()
        } catch {
            throw ConsoleActionError(status: Int(error.status.code), message: error.message)
        }
    }
}
