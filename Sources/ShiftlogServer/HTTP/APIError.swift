public import HTTPTypes
public import Hummingbird
import ShiftlogCore
import ShiftlogEngine

/// An error the service answers with: a code, the status that goes with it
/// (``APIErrorCode/status``), and the body `{"error": message, "code": code}` that whim's
/// clients and dashboard read. Every expected failure is one of these; anything else is a bug
/// and answers 500 `INTERNAL_ERROR` without its details.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable code (`VALIDATION_ERROR`, `NOT_FOUND`, …).
    public var code: APIErrorCode
    /// The HTTP status of the answer: the code's.
    public var status: HTTPResponse.Status { code.status }
    /// What went wrong, for a person; names the offending field where there is one.
    public var message: String
    /// Extra headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields = [:]
    /// Facts a client can act on, sent as whim's `details` (e.g. `{"status": "completed"}` for
    /// a cancel of an ended item); `nil`: none sent.
    public var details: [String: String]?

    /// An error answering `code` (and its status) with `message`, plus `headers` and `details`.
    public init(_ code: APIErrorCode, _ message: String, headers: HTTPFields = [:], details: [String: String]? = nil) {
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
        var code: APIErrorCode
        var details: [String: String]?
    }

    // MARK: The service's errors

    static func validation(_ message: String) -> APIError { .init(.validationError, message) }
    static func notFound(_ message: String) -> APIError { .init(.notFound, message) }
    static let routeNotFound = APIError(.notFound, "Not found")
    /// Closes the connection: the rest of the body is not read.
    static let bodyTooLarge = APIError(.payloadTooLarge, "the request body is larger than 1 MB", headers: [.connection: "close"])
    static let internalError = APIError(.internalError, "internal error")

    /// The answer to a refused lifecycle command. Capacity refusals carry `Retry-After`.
    init(_ error: LifecycleError) {
        switch error.code {
        case .validationFailed: self.init(.validationError, error.message)
        case .workerNotFound, .workItemNotFound: self.init(.notFound, error.message)
        case .workerNotActive: self.init(.workerNotActive, error.message)
        case .invalidState: self.init(.invalidState, error.message)
        case .noContainer: self.init(.noContainer, error.message)
        case .workItemEnded: self.init(.workItemEnded, error.message)
        case .capacityExceeded, .cooldownActive, .dailyBudgetExhausted: self.init(.capacityExhausted, error.message)
        default: self.init(APIErrorCode(named: error.apiCode) ?? .invalidState, error.message)
        }
    }

    /// The answer to an engine failure: the store or the engine cannot take commands now.
    init(_ error: EngineError) {
        switch error.code {
        case .closed: self.init(.shuttingDown, "the service is shutting down; retry shortly")
        default: self.init(.storageUnavailable, "the event log cannot take writes now: \(error.message)")
        }
    }
}
