public import ShiftlogCore

/// One event record as a store hands it back undecoded (``EventStore/scanRecords(after:_:)``):
/// the same bytes in every store, so one decoder checks them all.
public enum StoredRecord {
    /// Decodes one record: checks that the key is an 8-byte big-endian sequence, verifies the
    /// record's checksum (over the key and the record) and decodes its payload.
    ///
    /// - Throws: ``StoreError`` `corrupt`, naming the event and what is wrong.
    public static func decode(key: UnsafeRawBufferPointer, _ record: UnsafeRawBufferPointer) throws(StoreError)
        -> RecordedEvent
    {
        guard key.count == 8, let sequence = BigEndian.read(UInt64.self, key, at: 0) else {
            throw StoreError(.corrupt, "an event key of \(key.count) bytes is not an 8-byte sequence number")
        }
        return try EventRecord.decode(sequence: sequence, record)
    }

    /// The key a record is stored under and checksummed with: `sequence` as 8 big-endian bytes.
    public static func key(_ sequence: UInt64) -> [UInt8] {
        BigEndian.bytes(sequence)
    }
}
