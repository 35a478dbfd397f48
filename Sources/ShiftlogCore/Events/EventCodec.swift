import Foundation

/// Encodes event payloads as canonical JSON (sorted keys) and decodes them by type name and
/// schema version. The store frames these bytes; nothing else knows the payload format.
public enum EventCodec {
    /// The payload bytes for an event.
    public static func encodePayload(_ event: Event) throws -> [UInt8] {
        if case .heartbeatRecorded(let e) = event, let bytes = HeartbeatCodec.encode(e) { return bytes }
        let encoder = CanonicalJSON.compactEncoder()
        let data: Data =
            switch event {
            case .workItemAdded(let e): try encoder.encode(e)
            case .workItemAssigned(let e): try encoder.encode(e)
            case .workItemCancelled(let e): try encoder.encode(e)
            case .workItemRequeued(let e): try encoder.encode(e)
            case .workItemRetryScheduled(let e): try encoder.encode(e)
            case .workItemFailed(let e): try encoder.encode(e)
            case .verificationRecorded(let e): try encoder.encode(e)
            case .workerSpawned(let e): try encoder.encode(e)
            case .workerRegistered(let e): try encoder.encode(e)
            case .heartbeatRecorded(let e): try encoder.encode(e)
            case .workerCompleted(let e): try encoder.encode(e)
            case .workerFailed(let e): try encoder.encode(e)
            case .workerStuck(let e): try encoder.encode(e)
            case .workerKilled(let e): try encoder.encode(e)
            case .containerStarted(let e): try encoder.encode(e)
            case .workerSpawnFailed(let e): try encoder.encode(e)
            case .containerStopped(let e): try encoder.encode(e)
            case .containerStopFailed(let e): try encoder.encode(e)
            case .workerLost(let e): try encoder.encode(e)
            case .orphanContainerRemoved(let e): try encoder.encode(e)
            case .locksAcquired(let e): try encoder.encode(e)
            case .locksReleased(let e): try encoder.encode(e)
            case .configurationRecorded(let e): try encoder.encode(e)
            }
        return Array(data)
    }

    /// Decodes a payload stored under `typeName` with `schemaVersion`.
    ///
    /// - Throws: ``EventDecodingError`` naming the unknown type, the too-new version, or
    ///   the JSON problem.
    public static func decodePayload(typeName: String, schemaVersion: UInt16, payload: some Collection<UInt8>)
        throws(EventDecodingError) -> Event
    {
        guard let type = EventType(rawValue: typeName) else {
            throw EventDecodingError(message: "unknown event type '\(typeName)'")
        }
        guard schemaVersion <= type.schemaVersion, schemaVersion > 0 else {
            throw EventDecodingError(
                message: "\(typeName) has schema version \(schemaVersion); this build reads 1...\(type.schemaVersion)")
        }
        if type == .heartbeatRecorded, let e = HeartbeatCodec.decode(payload) { return .heartbeatRecorded(e) }
        let data = Data(payload)
        do {
            return try decode(type, data, JSONDecoder())
        } catch {
            throw EventDecodingError(message: "\(typeName) payload does not decode: \(CanonicalJSON.describe(error))")
        }
    }

    private static func decode(_ type: EventType, _ data: Data, _ d: JSONDecoder) throws -> Event {
        switch type {
        case .workItemAdded: .workItemAdded(try d.decode(WorkItemAdded.self, from: data))
        case .workItemAssigned: .workItemAssigned(try d.decode(WorkItemAssigned.self, from: data))
        case .workItemCancelled: .workItemCancelled(try d.decode(WorkItemCancelled.self, from: data))
        case .workItemRequeued: .workItemRequeued(try d.decode(WorkItemRequeued.self, from: data))
        case .workItemRetryScheduled: .workItemRetryScheduled(try d.decode(WorkItemRetryScheduled.self, from: data))
        case .workItemFailed: .workItemFailed(try d.decode(WorkItemFailed.self, from: data))
        case .verificationRecorded: .verificationRecorded(try d.decode(VerificationRecorded.self, from: data))
        case .workerSpawned: .workerSpawned(try d.decode(WorkerSpawned.self, from: data))
        case .workerRegistered: .workerRegistered(try d.decode(WorkerRegistered.self, from: data))
        case .heartbeatRecorded: .heartbeatRecorded(try d.decode(HeartbeatRecorded.self, from: data))
        case .workerCompleted: .workerCompleted(try d.decode(WorkerCompleted.self, from: data))
        case .workerFailed: .workerFailed(try d.decode(WorkerFailed.self, from: data))
        case .workerStuck: .workerStuck(try d.decode(WorkerStuck.self, from: data))
        case .workerKilled: .workerKilled(try d.decode(WorkerKilled.self, from: data))
        case .containerStarted: .containerStarted(try d.decode(ContainerStarted.self, from: data))
        case .workerSpawnFailed: .workerSpawnFailed(try d.decode(WorkerSpawnFailed.self, from: data))
        case .containerStopped: .containerStopped(try d.decode(ContainerStopped.self, from: data))
        case .containerStopFailed: .containerStopFailed(try d.decode(ContainerStopFailed.self, from: data))
        case .workerLost: .workerLost(try d.decode(WorkerLost.self, from: data))
        case .orphanContainerRemoved: .orphanContainerRemoved(try d.decode(OrphanContainerRemoved.self, from: data))
        case .locksAcquired: .locksAcquired(try d.decode(LocksAcquired.self, from: data))
        case .locksReleased: .locksReleased(try d.decode(LocksReleased.self, from: data))
        case .configurationRecorded: .configurationRecorded(try d.decode(ConfigurationRecorded.self, from: data))
        }
    }
}

/// An event's payload could not be read.
public struct EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
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
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(EventCodec.encodePayload(event)))
        try c.encode(payload, forKey: .payload)
    }

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
            event: try EventCodec.decodePayload(typeName: typeName, schemaVersion: version, payload: Array(bytes)))
    }
}
