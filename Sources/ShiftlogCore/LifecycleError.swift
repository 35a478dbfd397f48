/// Why a command was refused. A refused command appends nothing.
///
/// A struct over a code, so that new codes don't break callers; ``apiCode`` gives the code
/// whim's HTTP clients know.
public struct LifecycleError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of failure this is. A struct over a private enum, as swift-nio's error codes
    /// are, so that a new code is not a breaking change: a `switch` over codes needs a `default`.
    /// Its description is the code's name (`validationFailed`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Value: String, Sendable, Hashable {
            case validationFailed, workerNotFound, workItemNotFound, workerNotActive, invalidState,
                capacityExceeded, cooldownActive, dailyBudgetExhausted, noContainer, workItemEnded
        }
        fileprivate let value: Value

        /// The command is malformed: a field is missing, empty or out of range.
        public static let validationFailed = Code(value: .validationFailed)
        /// No worker has the id the command names.
        public static let workerNotFound = Code(value: .workerNotFound)
        /// No work item has the id the command names.
        public static let workItemNotFound = Code(value: .workItemNotFound)
        /// The worker exists but is not active (it is stopping, stopped or retired).
        public static let workerNotActive = Code(value: .workerNotActive)
        /// The worker or work item is not in a state the command applies to.
        public static let invalidState = Code(value: .invalidState)
        /// As many workers are active as ``LifecycleConfiguration/maxWorkers`` allows.
        public static let capacityExceeded = Code(value: .capacityExceeded)
        /// The cooldown after the last spawn (``LifecycleConfiguration/cooldownSeconds``) has not
        /// ended yet.
        public static let cooldownActive = Code(value: .cooldownActive)
        /// The iterations of this UTC day reached ``LifecycleConfiguration/dailyBudget``.
        public static let dailyBudgetExhausted = Code(value: .dailyBudgetExhausted)
        /// The worker has no container (yet, or any more) to act on.
        public static let noContainer = Code(value: .noContainer)
        /// The work item has ended (completed or failed) and the command no longer applies to
        /// it; the message names its status.
        public static let workItemEnded = Code(value: .workItemEnded)

        /// The code's name, e.g. `validationFailed`: what messages and JSON show.
        public var description: String { value.rawValue }
    }

    /// What kind of refusal this is.
    public var code: Code
    /// What was wrong, for a person: names the worker, item or field.
    public var message: String

    /// A refusal with `code` and a one-line `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, e.g. `workerNotFound: no worker 'w1'`.
    public var description: String { "\(code): \(message)" }

    /// The code whim's clients know (`VALIDATION_ERROR`, `NOT_FOUND`, `INVALID_STATE`, …).
    public var apiCode: String {
        // Over the private enum, so that a new code must be mapped here.
        switch code.value {
        case .validationFailed: "VALIDATION_ERROR"
        case .workerNotFound, .workItemNotFound: "NOT_FOUND"
        case .workerNotActive, .invalidState, .noContainer: "INVALID_STATE"
        case .workItemEnded: "WORK_ITEM_ENDED"
        case .capacityExceeded, .cooldownActive, .dailyBudgetExhausted: "CAPACITY_EXHAUSTED"
        }
    }

    static func validation(_ message: String) -> LifecycleError { .init(.validationFailed, message) }
    static func unknownWorker(_ id: WorkerID) -> LifecycleError { .init(.workerNotFound, "no worker \(quoted(id))") }
    static func unknownItem(_ id: WorkItemID) -> LifecycleError { .init(.workItemNotFound, "no work item \(quoted(id))") }
}

/// A code is encoded as its name, a JSON string, as the enum it once was.
extension LifecycleError.Code: Codable {
    /// Encodes the code as its name, a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.rawValue)
    }

    /// Decodes a code from its name; a name this build does not know is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = Value(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown lifecycle error code '\(name)'")
        }
        self.value = value
    }
}
