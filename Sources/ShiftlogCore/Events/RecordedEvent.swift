import Foundation

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
    /// The fact itself.
    public var event: Event

    /// An event at `sequence` in the log, decided at `time`.
    public init(sequence: UInt64, time: Timestamp, correlationId: String, causationId: String?, event: Event) {
        self.sequence = sequence
        self.time = time
        self.correlationId = correlationId
        self.causationId = causationId
        self.event = event
    }

    /// The type the event is stored under.
    public var type: EventType { event.type }

    /// The longest correlation or causation id a record holds, in UTF-8 bytes (its length is
    /// a 16-bit field, and 0xFFFF marks "no causation"). Longer ids are refused where they
    /// enter (import, the command writer), never cut.
    public static let maxIdentifierBytes = 0xFFFE

    /// Why `id`, the value of `field`, cannot be stored, if it cannot: it is too long.
    public static func identifierProblem(_ id: String, _ field: String) -> String? {
        let bytes = id.utf8.count
        return bytes > maxIdentifierBytes ? "'\(field)' is \(bytes) bytes long; a record holds at most \(maxIdentifierBytes)" : nil
    }
}

extension RecordedEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case sequence, time, type, schemaVersion, correlationId, causationId, payload
    }

    /// The readable JSON form used by snapshots and exports: envelope fields, then the
    /// payload as an object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sequence, forKey: .sequence)
        try c.encode(time, forKey: .time)
        try c.encode(type, forKey: .type)
        try c.encode(type.schemaVersion, forKey: .schemaVersion)
        try c.encode(correlationId, forKey: .correlationId)
        try c.encode(causationId, forKey: .causationId)
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(EventCodec.jsonPayload(event)))
        try c.encode(payload, forKey: .payload)
    }

    /// Decodes the JSON form ``encode(to:)`` writes.
    ///
    /// - Throws: ``EventDecodingError`` for an unknown type, a schema version this build does not
    ///   read, or a payload that does not decode; a `DecodingError` for a malformed envelope.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let typeName = try c.decode(String.self, forKey: .type)
        let version = try c.decode(UInt16.self, forKey: .schemaVersion)
        let payload = try c.decode(JSONValue.self, forKey: .payload)
        let bytes = try CanonicalJSON.compactEncoder().encode(payload)
        self.init(
            sequence: try c.decode(UInt64.self, forKey: .sequence),
            time: try c.decode(Timestamp.self, forKey: .time),
            correlationId: try c.decode(String.self, forKey: .correlationId),
            causationId: try c.decodeIfPresent(String.self, forKey: .causationId),
            event: try EventCodec.decodePayload(typeName: typeName, schemaVersion: version, payload: Array(bytes), as: .json))
    }
}
