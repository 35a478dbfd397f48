import ShiftlogCore

/// The on-disk form of one event: the value stored under its big-endian sequence key.
///
/// ```
/// u8  record format: the payload encoding (1 JSON, 2 binary)
/// u16 schema version        i64 time (ms since epoch)
/// u8  type length           type name (UTF-8)
/// u16 correlation length    correlation id
/// u16 causation length      causation id (0xFFFF: none)
/// u32 payload length        payload (binary layout; canonical JSON in format 1)
/// u32 CRC-32C of the key and every byte above
/// ```
/// All integers big-endian. This build writes format 2 and reads 1 and 2. `package` so that
/// the fuzz harness (`Fuzz/RecordDecoder`) can feed it bytes.
package enum EventRecord {
    static let writtenEncoding = PayloadEncoding.binary
    private static let noCausation: UInt16 = 0xFFFF

    package static func encode(_ recorded: RecordedEvent) throws -> [UInt8] {
        let type = Array(recorded.type.rawValue.utf8)
        // Longer ids are refused before they get here (RecordedEvent.identifierProblem).
        let correlation = Array(recorded.correlationId.utf8.prefix(RecordedEvent.maxIdentifierBytes))
        let causation = recorded.causationId.map { Array($0.utf8.prefix(RecordedEvent.maxIdentifierBytes)) }
        let payload = try EventCodec.encodePayload(recorded.event, as: writtenEncoding)
        var out: [UInt8] = []
        out.reserveCapacity(24 + type.count + correlation.count + (causation?.count ?? 0) + payload.count)
        out.append(writtenEncoding.rawValue)
        BigEndian.append(recorded.type.schemaVersion, to: &out)
        BigEndian.append(recorded.time.millisecondsSinceEpoch, to: &out)
        out.append(UInt8(type.count))
        out += type
        BigEndian.append(UInt16(correlation.count), to: &out)
        out += correlation
        BigEndian.append(causation.map { UInt16($0.count) } ?? noCausation, to: &out)
        out += causation ?? []
        BigEndian.append(UInt32(payload.count), to: &out)
        out += payload
        BigEndian.append(checksum(sequence: recorded.sequence, body: out), to: &out)
        return out
    }

    package static func decode(sequence: UInt64, _ bytes: UnsafeRawBufferPointer) throws(StoreError) -> RecordedEvent {
        func corrupt(_ why: String) -> StoreError { StoreError(.corrupt, "event \(sequence): \(why)") }
        guard bytes.count >= 4 else { throw corrupt("record of \(bytes.count) bytes is truncated") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count - 4])
        let stored = BigEndian.read(UInt32.self, bytes, at: bytes.count - 4)!
        guard checksum(sequence: sequence, bytes: body) == stored else {
            throw corrupt("checksum mismatch (stored \(hex(stored)), computed \(hex(checksum(sequence: sequence, bytes: body))))")
        }
        guard let encoding = body.first.flatMap(PayloadEncoding.init(rawValue:)) else {
            throw corrupt("record format \(body.first.map(String.init) ?? "?") is not one this build reads (1 or 2)")
        }
        var offset = 1
        func field<T: FixedWidthInteger>(_: T.Type) throws(StoreError) -> T {
            guard let value = BigEndian.read(T.self, body, at: offset) else { throw corrupt("truncated record") }
            offset += MemoryLayout<T>.size
            return value
        }
        func slice(_ count: Int) throws(StoreError) -> UnsafeRawBufferPointer {
            guard offset + count <= body.count else { throw corrupt("truncated record") }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: body[offset..<offset + count])
        }
        func string(_ count: Int) throws(StoreError) -> String { String(decoding: try slice(count), as: UTF8.self) }
        let schemaVersion = try field(UInt16.self)
        let time = try field(Int64.self)
        let typeBytes = try slice(Int(try field(UInt8.self)))
        let correlation = try string(Int(try field(UInt16.self)))
        let causationCount = try field(UInt16.self)
        let causation = causationCount == noCausation ? nil : try string(Int(causationCount))
        let payloadCount = Int(try field(UInt32.self))
        guard offset + payloadCount == body.count else { throw corrupt("payload length does not match record") }
        guard let type = EventType(utf8: typeBytes) else {
            throw corrupt("unknown event type \(quoted(String(decoding: typeBytes, as: UTF8.self)))")
        }
        let event: Event
        do {
            event = try EventCodec.decodePayload(
                type, schemaVersion: schemaVersion, payload: UnsafeRawBufferPointer(rebasing: body[offset...]), as: encoding)
        } catch {
            throw corrupt(error.message)
        }
        return RecordedEvent(
            sequence: sequence, time: Timestamp(millisecondsSinceEpoch: time), correlationId: correlation,
            causationId: causation, event: event)
    }

    /// The CRC-32C that closes a record: over the key (`sequence`, big-endian), then `body`.
    package static func checksum(sequence: UInt64, body: [UInt8]) -> UInt32 {
        body.withUnsafeBytes { checksum(sequence: sequence, bytes: $0) }
    }

    private static func checksum(sequence: UInt64, bytes: UnsafeRawBufferPointer) -> UInt32 {
        let keySeed = BigEndian.bytes(sequence).withUnsafeBytes { CRC32C.checksum($0) }
        return CRC32C.checksum(bytes, seed: keySeed)
    }

    private static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
