public import HTTPTypes

/// The `code` of an error answer, and the HTTP status that goes with it: the one mapping of
/// codes to statuses. ``APIError``, the network edge's answers and the OpenAPI document
/// (served at `/openapi.json`) all read it, so a code cannot answer one status and be
/// documented with another.
///
/// A struct over a private enum, as `LifecycleError.Code` is: a new code is not a breaking
/// change, so a `switch` over codes needs a `default`.
public struct APIErrorCode: Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Name: String, CaseIterable, Sendable {
        case validationError = "VALIDATION_ERROR"
        case invalidState = "INVALID_STATE"
        case invalidType = "INVALID_TYPE"
        case invalidInput = "INVALID_INPUT"
        case malformedRequest = "MALFORMED_REQUEST"
        case unauthorized = "UNAUTHORIZED"
        case forbidden = "FORBIDDEN"
        case notFound = "NOT_FOUND"
        case noContainer = "NO_CONTAINER"
        case methodNotAllowed = "METHOD_NOT_ALLOWED"
        case requestTimeout = "REQUEST_TIMEOUT"
        case workerNotActive = "WORKER_NOT_ACTIVE"
        case workItemEnded = "WORK_ITEM_ENDED"
        case payloadTooLarge = "PAYLOAD_TOO_LARGE"
        case uriTooLong = "URI_TOO_LONG"
        case capacityExhausted = "CAPACITY_EXHAUSTED"
        case headersTooLarge = "HEADERS_TOO_LARGE"
        case internalError = "INTERNAL_ERROR"
        case storageUnavailable = "STORAGE_UNAVAILABLE"
        case shuttingDown = "SHUTTING_DOWN"
        case unavailable = "UNAVAILABLE"
        case tooManyConnections = "TOO_MANY_CONNECTIONS"
    }
    fileprivate let name: Name

    /// A field is missing, of the wrong type or out of range, or the body is not JSON (400).
    public static let validationError = APIErrorCode(name: .validationError)
    /// The worker or item is not in a state the request applies to (400).
    public static let invalidState = APIErrorCode(name: .invalidState)
    /// The item is of the wrong type for the request (400).
    public static let invalidType = APIErrorCode(name: .invalidType)
    /// A path parameter is not what the route takes, e.g. a PR number that is no number (400).
    public static let invalidInput = APIErrorCode(name: .invalidInput)
    /// The request is not valid HTTP/1.1, or its body could not be read (400).
    public static let malformedRequest = APIErrorCode(name: .malformedRequest)
    /// The route needs a credential that the request does not carry (401).
    public static let unauthorized = APIErrorCode(name: .unauthorized)
    /// The credential is another worker's (403).
    public static let forbidden = APIErrorCode(name: .forbidden)
    /// No such route, worker, item or review (404).
    public static let notFound = APIErrorCode(name: .notFound)
    /// The worker has no container to act on (404).
    public static let noContainer = APIErrorCode(name: .noContainer)
    /// The path exists, but not with this method (405).
    public static let methodNotAllowed = APIErrorCode(name: .methodNotAllowed)
    /// The headers or the body did not arrive in time (408).
    public static let requestTimeout = APIErrorCode(name: .requestTimeout)
    /// The worker has ended (409).
    public static let workerNotActive = APIErrorCode(name: .workerNotActive)
    /// The item completed or failed; `details.status` says which (409).
    public static let workItemEnded = APIErrorCode(name: .workItemEnded)
    /// The body is larger than 1 MB (413).
    public static let payloadTooLarge = APIErrorCode(name: .payloadTooLarge)
    /// The request line is longer than 80 KB (414).
    public static let uriTooLong = APIErrorCode(name: .uriTooLong)
    /// No capacity, the cooldown, or the daily budget (429).
    public static let capacityExhausted = APIErrorCode(name: .capacityExhausted)
    /// The headers are larger than 80 KB or more than 1000 (431).
    public static let headersTooLarge = APIErrorCode(name: .headersTooLarge)
    /// An error nobody expected: a defect, logged, answered without details (500).
    public static let internalError = APIErrorCode(name: .internalError)
    /// The event log cannot take writes now (503).
    public static let storageUnavailable = APIErrorCode(name: .storageUnavailable)
    /// The service is stopping (503).
    public static let shuttingDown = APIErrorCode(name: .shuttingDown)
    /// A call the engine could not answer for another reason (503).
    public static let unavailable = APIErrorCode(name: .unavailable)
    /// One connection more than `MAX_CONNECTIONS` (503).
    public static let tooManyConnections = APIErrorCode(name: .tooManyConnections)

    /// Every code, in declaration order.
    public static var all: [APIErrorCode] { Name.allCases.map(APIErrorCode.init(name:)) }

    /// The code as sent, e.g. `VALIDATION_ERROR`.
    public var description: String { name.rawValue }

    /// The status every answer with this code has.
    public var status: HTTPResponse.Status {
        switch name {
        case .validationError, .invalidState, .invalidType, .invalidInput, .malformedRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound, .noContainer: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .requestTimeout: .requestTimeout
        case .workerNotActive, .workItemEnded: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .uriTooLong: .uriTooLong
        case .capacityExhausted: .tooManyRequests
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .internalError: .internalServerError
        case .storageUnavailable, .shuttingDown, .unavailable, .tooManyConnections: .serviceUnavailable
        }
    }

    /// The code sent as `name`, if there is one.
    public init?(named name: String) {
        guard let name = Name(rawValue: name) else { return nil }
        self.name = name
    }

    private init(name: Name) {
        self.name = name
    }
}

extension APIErrorCode: Encodable {
    /// Encodes the code as it is sent, a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name.rawValue)
    }
}
