/// An engine failure that is not a rule's refusal (those are `LifecycleError`s).
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The write could not be made durable; nothing of it was stored.
        case storage
        /// The engine was closed.
        case closed
        /// A runtime call failed.
        case runtime
        /// An ``EngineConfiguration`` field has a value the engine cannot run with; the
        /// message names the field.
        case invalidConfiguration
        /// An effect handler stopped while the engine was open: its effects are no longer
        /// applied. ``Engine/handlerStatuses`` shows which and why.
        case handlerStopped
        /// An outcome of a leader whose term has ended (another instance of a shared log
        /// leads now) was refused: a deposed leader never acts again.
        case deposed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
