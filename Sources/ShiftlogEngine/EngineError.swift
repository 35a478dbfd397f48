/// An engine failure that is not a rule's refusal (those are `LifecycleError`s).
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. A struct over a private enum, as swift-nio's error codes
    /// are, so that a new code is not a breaking change: a `switch` over codes needs a `default`.
    /// Its description is the code's name (`storage`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case storage, closed, runtime, invalidConfiguration, handlerStopped, deposed
        }
        private let value: Value

        /// The write could not be made durable; nothing of it was stored.
        public static let storage = Code(value: .storage)
        /// The engine was closed.
        public static let closed = Code(value: .closed)
        /// A runtime call failed.
        public static let runtime = Code(value: .runtime)
        /// An ``EngineConfiguration`` field has a value the engine cannot run with; the
        /// message names the field.
        public static let invalidConfiguration = Code(value: .invalidConfiguration)
        /// An effect handler stopped while the engine was open: its effects are no longer
        /// applied. ``Engine/handlerStatuses`` shows which and why.
        public static let handlerStopped = Code(value: .handlerStopped)
        /// An outcome of a leader whose term has ended (another instance of a shared log
        /// leads now) was refused: a deposed leader never acts again.
        public static let deposed = Code(value: .deposed)

        /// The code's name, e.g. `storage`: what messages and JSON show.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in one line for a person.
    public var message: String

    /// A failure with `code` and a one-line `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
