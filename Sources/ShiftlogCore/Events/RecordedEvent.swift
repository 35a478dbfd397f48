/// An event as it stands in the log: its sequence number, time and provenance.
public struct RecordedEvent: Sendable, Hashable {
    /// Gap-free position in the log, starting at 1. The LMDB key, big-endian.
    public var sequence: UInt64
    /// When the command that produced it was decided.
    public var time: Timestamp
    /// Shared by all events of one command, and by the effect outcomes it caused.
    public var correlationId: String
    /// What caused it: `nil` for a command from outside, `seq:N` for an effect outcome of
    /// event N.
    public var causationId: String?
    public var event: Event

    public init(sequence: UInt64, time: Timestamp, correlationId: String, causationId: String?, event: Event) {
        self.sequence = sequence
        self.time = time
        self.correlationId = correlationId
        self.causationId = causationId
        self.event = event
    }

    public var type: EventType { event.type }
}
