public import HTTPTypes
public import Hummingbird
import ShiftlogCore
import ShiftlogEngine

/// An error the service answers with: a status and the body `{"error": message, "code": code}`
/// that whim's clients and dashboard read. Every expected failure is one of these; anything
/// else is a bug and answers 500 `INTERNAL_ERROR` without its details.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status of the answer.
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code (`VALIDATION_ERROR`, `NOT_FOUND`, …).
    public var code: String
    /// What went wrong, for a person; names the offending field where there is one.
    public var message: String
    /// Extra headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields = [:]
    /// Facts a client can act on, sent as whim's `details` (e.g. `{"status": "completed"}` for
    /// a cancel of an ended item); `nil`: none sent.
    public var details: [String: String]?

    /// An error answering `status` with `code` and `message`, plus `headers` and `details`.
    public init(
        _ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:], details: [String: String]? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.details = details
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse(ErrorBody(error: message, code: code, details: details))
            .response(from: request, context: context)
        response.status = status
        response.headers.append(contentsOf: headers)
        return response
    }

    struct ErrorBody: Encodable {
        var error: String
        var code: String
        var details: [String: String]?
    }

    // MARK: The service's errors

    static func validation(_ message: String) -> APIError { .init(.badRequest, code: "VALIDATION_ERROR", message) }
    static func notFound(_ message: String) -> APIError { .init(.notFound, code: "NOT_FOUND", message) }
    static let routeNotFound = APIError(.notFound, code: "NOT_FOUND", "Not found")
    /// Closes the connection: the rest of the body is not read.
    static let bodyTooLarge = APIError(
        .contentTooLarge, code: "PAYLOAD_TOO_LARGE", "the request body is larger than 1 MB", headers: [.connection: "close"])
    static let internalError = APIError(.internalServerError, code: "INTERNAL_ERROR", "internal error")

    /// The answer to a refused lifecycle command. Capacity refusals carry `Retry-After`.
    init(_ error: LifecycleError) {
        switch error.code {
        case .validationFailed: self.init(.badRequest, code: "VALIDATION_ERROR", error.message)
        case .workerNotFound, .workItemNotFound: self.init(.notFound, code: "NOT_FOUND", error.message)
        case .workerNotActive: self.init(.conflict, code: "WORKER_NOT_ACTIVE", error.message)
        case .invalidState: self.init(.badRequest, code: "INVALID_STATE", error.message)
        case .noContainer: self.init(.notFound, code: "NO_CONTAINER", error.message)
        case .workItemEnded: self.init(.conflict, code: "WORK_ITEM_ENDED", error.message)
        case .capacityExceeded, .cooldownActive, .dailyBudgetExhausted:
            self.init(.tooManyRequests, code: "CAPACITY_EXHAUSTED", error.message)
        default: self.init(.badRequest, code: error.apiCode, error.message)
        }
    }

    /// The answer to an engine failure: the store or the engine cannot take commands now.
    init(_ error: EngineError) {
        switch error.code {
        case .closed: self.init(.serviceUnavailable, code: "SHUTTING_DOWN", "the service is shutting down; retry shortly")
        default: self.init(.serviceUnavailable, code: "STORAGE_UNAVAILABLE", "the event log cannot take writes now: \(error.message)")
        }
    }
}
