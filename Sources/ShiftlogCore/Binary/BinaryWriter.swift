/// Appends values in Shiftlog's binary layout: unsigned integers as LEB128 varints, signed
/// ones zigzag-encoded first, strings and collections prefixed by their count. Equal values
/// give equal bytes: dictionaries are written in key order.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends `value`'s layout.
    public mutating func write(_ value: some BinaryCodable) {
        value.encode(to: &self)
    }

    /// Appends one byte.
    @inline(__always)
    public mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends `value` as an unsigned LEB128 varint (1 to 10 bytes).
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends `value` zigzag-encoded as a varint, so that small negative numbers stay short.
    public mutating func writeSigned(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends `value`'s UTF-8 bytes, prefixed by their count.
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends `raw` as it is, with no count: for fixed markers.
    public mutating func writeRaw(_ raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }
}
