/// Why a command was refused. A refused command appends nothing.
///
/// A struct over a code, so that new cases don't break callers; ``Code/apiCode`` gives the
/// code whim's HTTP clients know.
public struct LifecycleError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case validationFailed
        case workerNotFound
        case workItemNotFound
        case workerNotActive
        case invalidState
        case capacityExceeded
        case cooldownActive
        case dailyBudgetExhausted
        case noContainer
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The code whim's clients know (`VALIDATION_ERROR`, `NOT_FOUND`, `INVALID_STATE`, …).
    public var apiCode: String {
        switch code {
        case .validationFailed: "VALIDATION_ERROR"
        case .workerNotFound, .workItemNotFound: "NOT_FOUND"
        case .workerNotActive, .invalidState, .noContainer: "INVALID_STATE"
        case .capacityExceeded, .cooldownActive, .dailyBudgetExhausted: "CAPACITY_EXHAUSTED"
        }
    }

    static func validation(_ message: String) -> LifecycleError { .init(.validationFailed, message) }
    static func unknownWorker(_ id: WorkerID) -> LifecycleError { .init(.workerNotFound, "no worker '\(id)'") }
    static func unknownItem(_ id: WorkItemID) -> LifecycleError { .init(.workItemNotFound, "no work item '\(id)'") }
}
