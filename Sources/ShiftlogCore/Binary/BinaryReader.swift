/// Reads what ``BinaryWriter`` wrote, from borrowed bytes: use it only inside the
/// `withUnsafeBytes` (or LMDB read transaction) that lends them. Every read checks the
/// bounds: a truncated or damaged payload is a ``BinaryDecodingError``, never a crash.
public struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    /// How many bytes have been read.
    public private(set) var offset = 0

    /// A reader at the start of `bytes`, which must stay valid while it is used.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Decodes one value that must span all of `bytes`.
    public static func decode<T: BinaryCodable>(_: T.Type, from bytes: UnsafeRawBufferPointer) throws(BinaryDecodingError) -> T {
        var reader = BinaryReader(bytes)
        let value = try T(from: &reader)
        guard reader.isAtEnd else { throw BinaryDecodingError("\(bytes.count - reader.offset) bytes left over after the value") }
        return value
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads a value of type `T`.
    public mutating func read<T: BinaryCodable>(_: T.Type = T.self) throws(BinaryDecodingError) -> T {
        try T(from: &self)
    }

    /// Reads one byte.
    @inline(__always)
    public mutating func readByte() throws(BinaryDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw BinaryDecodingError("truncated at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads an unsigned LEB128 varint of at most 64 bits.
    public mutating func readVarint() throws(BinaryDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw BinaryDecodingError("varint longer than 64 bits at byte \(offset)") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// Reads a zigzag-encoded signed integer.
    public mutating func readSigned() throws(BinaryDecodingError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A count of elements still to come, checked against the bytes left (each takes one at least).
    public mutating func readCount() throws(BinaryDecodingError) -> Int {
        let count = try readVarint()
        guard count <= UInt64(bytes.count - offset) else {
            throw BinaryDecodingError("count \(count) exceeds the \(bytes.count - offset) bytes left")
        }
        return Int(count)
    }

    /// Reads a count-prefixed UTF-8 string; invalid UTF-8 is repaired, not refused.
    public mutating func readString() throws(BinaryDecodingError) -> String {
        let count = try readCount()
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }
}

/// A binary payload or snapshot that does not decode: truncated, or holding a value this
/// build does not know.
public struct BinaryDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `truncated at byte 12`.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
