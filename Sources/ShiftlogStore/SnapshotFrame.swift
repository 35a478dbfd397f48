/// The stored form of a projection snapshot, in any store: a frame version byte, the CRC-32C
/// of the snapshot bytes, then the bytes.
///
/// ```
/// u8  frame version (1)      u32 CRC-32C of the bytes      bytes
/// ```
package enum SnapshotFrame {
    package static func frame(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [1]
        BigEndian.append(CRC32C.checksum(bytes), to: &out)
        return out + bytes
    }

    /// The snapshot bytes of a stored frame; `location` names the store in the error.
    package static func unframe(_ value: UnsafeRawBufferPointer, sequence: UInt64, location: String) throws(StoreError)
        -> [UInt8]
    {
        guard value.count >= 5, value[0] == 1, let stored = BigEndian.read(UInt32.self, value, at: 1) else {
            throw StoreError(.corrupt, "\(location): snapshot at \(sequence) has an unknown frame")
        }
        let body = Array(value[5...])
        guard CRC32C.checksum(body) == stored else {
            throw StoreError(.corrupt, "\(location): snapshot at \(sequence) fails its checksum")
        }
        return body
    }
}
