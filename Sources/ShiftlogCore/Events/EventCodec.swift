import Foundation

/// How a stored payload is written: the record format byte of the store.
public enum PayloadEncoding: UInt8, Sendable, CaseIterable {
    /// Canonical JSON (sorted keys): what logs written before the binary layouts hold, and the
    /// readable form of exports.
    case json = 1
    /// The hand-written layouts of ``BinaryCodable``: what the store writes now.
    case binary = 2
}

/// Encodes event payloads and decodes them by type name, schema version and encoding. The
/// store frames these bytes; nothing else knows the payload format.
public enum EventCodec {
    /// The payload bytes for an event in `encoding`.
    public static func encodePayload(_ event: Event, as encoding: PayloadEncoding) throws -> [UInt8] {
        switch encoding {
        case .binary: binaryPayload(event)
        case .json: try jsonPayload(event)
        }
    }

    /// The binary payload: the event's layout, nothing around it (the type is in the record).
    public static func binaryPayload(_ event: Event) -> [UInt8] {
        var w = BinaryWriter(capacity: 96)
        switch event {
        case .workItemAdded(let e): w.write(e)
        case .workItemAssigned(let e): w.write(e)
        case .workItemCancelled(let e): w.write(e)
        case .cancelRequested(let e): w.write(e)
        case .cancelGraceExpired(let e): w.write(e)
        case .endGraceElapsed(let e): w.write(e)
        case .containerExited(let e): w.write(e)
        case .workItemRequeued(let e): w.write(e)
        case .workItemRetryScheduled(let e): w.write(e)
        case .workItemFailed(let e): w.write(e)
        case .verificationRecorded(let e): w.write(e)
        case .workItemRetriedNow(let e): w.write(e)
        case .workItemPriorityChanged(let e): w.write(e)
        case .workItemDeadlinePassed(let e): w.write(e)
        case .workerSpawned(let e): w.write(e)
        case .workerRegistered(let e): w.write(e)
        case .heartbeatRecorded(let e): w.write(e)
        case .workerCompleted(let e): w.write(e)
        case .workerFailed(let e): w.write(e)
        case .workerStuck(let e): w.write(e)
        case .workerKilled(let e): w.write(e)
        case .containerStarted(let e): w.write(e)
        case .workerSpawnFailed(let e): w.write(e)
        case .containerStopped(let e): w.write(e)
        case .containerStopFailed(let e): w.write(e)
        case .workerLost(let e): w.write(e)
        case .orphanContainerRemoved(let e): w.write(e)
        case .effectAbandoned(let e): w.write(e)
        case .locksAcquired(let e): w.write(e)
        case .locksReleased(let e): w.write(e)
        case .configurationRecorded(let e): w.write(e)
        case .accessRefused(let e): w.write(e)
        case .leaderElected(let e): w.write(e)
        }
        return w.bytes
    }

    /// The canonical JSON payload (sorted keys).
    public static func jsonPayload(_ event: Event) throws -> [UInt8] {
        let encoder = CanonicalJSON.compactEncoder()
        let data: Data =
            switch event {
            case .workItemAdded(let e): try encoder.encode(e)
            case .workItemAssigned(let e): try encoder.encode(e)
            case .workItemCancelled(let e): try encoder.encode(e)
            case .cancelRequested(let e): try encoder.encode(e)
            case .cancelGraceExpired(let e): try encoder.encode(e)
            case .endGraceElapsed(let e): try encoder.encode(e)
            case .containerExited(let e): try encoder.encode(e)
            case .workItemRequeued(let e): try encoder.encode(e)
            case .workItemRetryScheduled(let e): try encoder.encode(e)
            case .workItemFailed(let e): try encoder.encode(e)
            case .verificationRecorded(let e): try encoder.encode(e)
            case .workItemRetriedNow(let e): try encoder.encode(e)
            case .workItemPriorityChanged(let e): try encoder.encode(e)
            case .workItemDeadlinePassed(let e): try encoder.encode(e)
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
            case .effectAbandoned(let e): try encoder.encode(e)
            case .locksAcquired(let e): try encoder.encode(e)
            case .locksReleased(let e): try encoder.encode(e)
            case .configurationRecorded(let e): try encoder.encode(e)
            case .accessRefused(let e): try encoder.encode(e)
            case .leaderElected(let e): try encoder.encode(e)
            }
        return Array(data)
    }

    /// Decodes a payload stored under `typeName` with `schemaVersion` in `encoding`.
    ///
    /// - Throws: ``EventDecodingError`` naming the unknown type, the too-new version, or
    ///   what is wrong with the bytes.
    public static func decodePayload(
        typeName: String, schemaVersion: UInt16, payload: [UInt8], as encoding: PayloadEncoding
    ) throws(EventDecodingError) -> Event {
        guard let type = EventType(rawValue: typeName) else {
            throw EventDecodingError(message: "unknown event type \(quoted(typeName))")
        }
        let result = payload.withUnsafeBytes { bytes in
            Result { () throws(EventDecodingError) in try decodePayload(type, schemaVersion: schemaVersion, payload: bytes, as: encoding) }
        }
        return try result.get()
    }

    /// Decodes a payload of `type`, read in place.
    public static func decodePayload(
        _ type: EventType, schemaVersion: UInt16, payload: UnsafeRawBufferPointer, as encoding: PayloadEncoding
    ) throws(EventDecodingError) -> Event {
        guard schemaVersion <= type.schemaVersion, schemaVersion > 0 else {
            throw EventDecodingError(
                message: "\(type.rawValue) has schema version \(schemaVersion); this build reads 1...\(type.schemaVersion)")
        }
        switch encoding {
        case .binary:
            do throws(BinaryDecodingError) {
                var reader = BinaryReader(payload)
                let event = try binaryEvent(type, schemaVersion: schemaVersion, &reader)
                guard reader.isAtEnd else { throw BinaryDecodingError("\(payload.count - reader.offset) bytes left over") }
                return event
            } catch {
                throw EventDecodingError(message: "\(type.rawValue) payload does not decode: \(error.message)")
            }
        case .json:
            do {
                return try jsonEvent(type, Data(payload), JSONDecoder())
            } catch {
                throw EventDecodingError(message: "\(type.rawValue) payload does not decode: \(CanonicalJSON.describe(error))")
            }
        }
    }

    private static func binaryEvent(_ type: EventType, schemaVersion: UInt16, _ r: inout BinaryReader)
        throws(BinaryDecodingError) -> Event
    {
        switch type {
        case .workItemAdded where schemaVersion == 1: .workItemAdded(try WorkItemAdded(firstLayoutFrom: &r))
        case .workItemAdded: .workItemAdded(try r.read())
        case .workItemAssigned: .workItemAssigned(try r.read())
        case .workItemCancelled where schemaVersion == 1: .workItemCancelled(try WorkItemCancelled(firstLayoutFrom: &r))
        case .workItemCancelled: .workItemCancelled(try r.read())
        case .cancelRequested: .cancelRequested(try r.read())
        case .cancelGraceExpired: .cancelGraceExpired(try r.read())
        case .endGraceElapsed: .endGraceElapsed(try r.read())
        case .containerExited: .containerExited(try r.read())
        case .workItemRequeued: .workItemRequeued(try r.read())
        case .workItemRetryScheduled: .workItemRetryScheduled(try r.read())
        case .workItemFailed: .workItemFailed(try r.read())
        case .verificationRecorded: .verificationRecorded(try r.read())
        case .workItemRetriedNow: .workItemRetriedNow(try r.read())
        case .workItemPriorityChanged: .workItemPriorityChanged(try r.read())
        case .workItemDeadlinePassed: .workItemDeadlinePassed(try r.read())
        case .workerSpawned: .workerSpawned(try r.read())
        case .workerRegistered: .workerRegistered(try r.read())
        case .heartbeatRecorded: .heartbeatRecorded(try r.read())
        case .workerCompleted: .workerCompleted(try r.read())
        case .workerFailed: .workerFailed(try r.read())
        case .workerStuck: .workerStuck(try r.read())
        case .workerKilled: .workerKilled(try r.read())
        case .containerStarted: .containerStarted(try r.read())
        case .workerSpawnFailed: .workerSpawnFailed(try r.read())
        case .containerStopped: .containerStopped(try r.read())
        case .containerStopFailed: .containerStopFailed(try r.read())
        case .workerLost: .workerLost(try r.read())
        case .orphanContainerRemoved: .orphanContainerRemoved(try r.read())
        case .effectAbandoned: .effectAbandoned(try r.read())
        case .locksAcquired: .locksAcquired(try r.read())
        case .locksReleased: .locksReleased(try r.read())
        case .configurationRecorded where schemaVersion == 2:
            .configurationRecorded(ConfigurationRecorded(lifecycle: try LifecycleConfiguration(secondLayoutFrom: &r)))
        case .configurationRecorded where schemaVersion == 1:
            .configurationRecorded(ConfigurationRecorded(lifecycle: try LifecycleConfiguration(firstLayoutFrom: &r)))
        case .configurationRecorded: .configurationRecorded(try r.read())
        case .accessRefused: .accessRefused(try r.read())
        case .leaderElected: .leaderElected(try r.read())
        }
    }

    private static func jsonEvent(_ type: EventType, _ data: Data, _ d: JSONDecoder) throws -> Event {
        switch type {
        case .workItemAdded: .workItemAdded(try d.decode(WorkItemAdded.self, from: data))
        case .workItemAssigned: .workItemAssigned(try d.decode(WorkItemAssigned.self, from: data))
        case .workItemCancelled: .workItemCancelled(try d.decode(WorkItemCancelled.self, from: data))
        case .cancelRequested: .cancelRequested(try d.decode(CancelRequested.self, from: data))
        case .cancelGraceExpired: .cancelGraceExpired(try d.decode(CancelGraceExpired.self, from: data))
        case .endGraceElapsed: .endGraceElapsed(try d.decode(EndGraceElapsed.self, from: data))
        case .containerExited: .containerExited(try d.decode(ContainerExited.self, from: data))
        case .workItemRequeued: .workItemRequeued(try d.decode(WorkItemRequeued.self, from: data))
        case .workItemRetryScheduled: .workItemRetryScheduled(try d.decode(WorkItemRetryScheduled.self, from: data))
        case .workItemFailed: .workItemFailed(try d.decode(WorkItemFailed.self, from: data))
        case .verificationRecorded: .verificationRecorded(try d.decode(VerificationRecorded.self, from: data))
        case .workItemRetriedNow: .workItemRetriedNow(try d.decode(WorkItemRetriedNow.self, from: data))
        case .workItemPriorityChanged: .workItemPriorityChanged(try d.decode(WorkItemPriorityChanged.self, from: data))
        case .workItemDeadlinePassed: .workItemDeadlinePassed(try d.decode(WorkItemDeadlinePassed.self, from: data))
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
        case .effectAbandoned: .effectAbandoned(try d.decode(EffectAbandoned.self, from: data))
        case .locksAcquired: .locksAcquired(try d.decode(LocksAcquired.self, from: data))
        case .locksReleased: .locksReleased(try d.decode(LocksReleased.self, from: data))
        case .configurationRecorded: .configurationRecorded(try d.decode(ConfigurationRecorded.self, from: data))
        case .accessRefused: .accessRefused(try d.decode(AccessRefused.self, from: data))
        case .leaderElected: .leaderElected(try d.decode(LeaderElected.self, from: data))
        }
    }
}

extension EventType {
    private static let utf8Names: [(name: [UInt8], type: EventType)] = allCases.map { (Array($0.rawValue.utf8), $0) }

    /// The type stored under these UTF-8 bytes, found without making a string.
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        for (name, type) in Self.utf8Names where name.count == bytes.count {
            if name.withUnsafeBytes({ $0.elementsEqual(bytes) }) {
                self = type
                return
            }
        }
        return nil
    }
}

/// An event's payload could not be read.
public struct EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the event type, e.g. `unknown event type 'workerPaused'`.
    public var message: String
    public var description: String { message }
}
