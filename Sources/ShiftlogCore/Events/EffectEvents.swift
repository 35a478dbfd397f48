/// An effect handler gave up the effect of one event after it failed `attempts` times in a
/// row; the handler has moved on to the next event. Changes no projection: the record is the
/// story (and what an operator looks for when a worker never got its container).
public struct EffectAbandoned: Sendable, Hashable, Codable {
    /// The handler's name (its checkpoint key), e.g. `containers`.
    public var handler: String
    /// The event whose effect was given up.
    public var sequence: UInt64
    /// How many times the effect failed in a row before it was given up.
    public var attempts: Int
    /// The last attempt's error.
    public var error: String

    /// A handler's give-up of the effect of the event at `sequence`.
    public init(handler: String, sequence: UInt64, attempts: Int, error: String) {
        self.handler = handler
        self.sequence = sequence
        self.attempts = attempts
        self.error = error
    }
}
