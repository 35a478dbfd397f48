import ShiftlogCore

/// A 64-bit FNV-1a digest of everything a recorded event holds (sequence, time, provenance,
/// type and binary payload): what the driver writes beside an acknowledged event, and what
/// the check recomputes from the log to prove the event is there unchanged.
enum EventDigest {
    static func of(_ recorded: RecordedEvent) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0xff  // a separator, so that fields cannot run into each other
            hash &*= 0x0000_0100_0000_01b3
        }
        withUnsafeBytes(of: recorded.sequence.bigEndian) { mix($0) }
        withUnsafeBytes(of: recorded.time.millisecondsSinceEpoch.bigEndian) { mix($0) }
        mix(recorded.correlationId.utf8)
        mix((recorded.causationId ?? "-").utf8)
        mix(recorded.type.rawValue.utf8)
        mix(EventCodec.binaryPayload(recorded.event))
        return hash
    }
}
