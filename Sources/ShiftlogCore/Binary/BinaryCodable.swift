/// A value with a hand-written binary form: the stored payload of every event and the
/// projection snapshot. Fields are written in a fixed order with no names, so a layout
/// change needs a new schema version of its event type (see DESIGN.md, "Log format").
public protocol BinaryCodable {
    /// Appends the value's layout to `writer`.
    func encode(to writer: inout BinaryWriter)
    /// Reads a value written by `encode(to:)`, advancing `reader` past it.
    ///
    /// - Throws: ``BinaryDecodingError`` when the bytes are truncated or hold a value this
    ///   build does not know.
    init(from reader: inout BinaryReader) throws(BinaryDecodingError)
}

/// A string's layout: its UTF-8 byte count as a varint, then the bytes.
extension String: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeString(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.readString() }
}

/// An `Int`'s layout: zigzag varint, as `Int64`; a stored value that does not fit is an error.
extension Int: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeSigned(Int64(self)) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let value = try reader.readSigned()
        guard let int = Int(exactly: value) else { throw BinaryDecodingError("\(value) does not fit an Int") }
        self = int
    }
}

/// An `Int64`'s layout: zigzag varint.
extension Int64: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeSigned(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.readSigned() }
}

/// A `UInt64`'s layout: varint.
extension UInt64: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeVarint(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.readVarint() }
}

/// A `Double`'s layout: its IEEE 754 bit pattern as a varint.
extension Double: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeVarint(bitPattern) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = Double(bitPattern: try reader.readVarint()) }
}

/// A `Bool`'s layout: one byte, 0 or 1.
extension Bool: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeByte(self ? 1 : 0) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        switch try reader.readByte() {
        case 0: self = false
        case 1: self = true
        case let byte: throw BinaryDecodingError("\(byte) is not a boolean")
        }
    }
}

extension Timestamp: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeSigned(millisecondsSinceEpoch) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(millisecondsSinceEpoch: try reader.readSigned())
    }
}

/// An optional's layout: a tag byte, 0 for `nil`, or 1 followed by the value.
extension Optional: BinaryCodable where Wrapped: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .none: writer.writeByte(0)
        case .some(let value):
            writer.writeByte(1)
            value.encode(to: &writer)
        }
    }

    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        switch try reader.readByte() {
        case 0: self = .none
        case 1: self = .some(try Wrapped(from: &reader))
        case let byte: throw BinaryDecodingError("\(byte) is not an optional's tag")
        }
    }
}

/// An array's layout: the count as a varint, then the elements in order.
extension Array: BinaryCodable where Element: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.writeVarint(UInt64(count))
        for element in self { element.encode(to: &writer) }
    }

    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let count = try reader.readCount()
        self = []
        reserveCapacity(count)
        for _ in 0..<count { append(try Element(from: &reader)) }
    }
}

/// A string-keyed dictionary's layout: the count as a varint, then each key and value, in key
/// order.
extension Dictionary: BinaryCodable where Key == String, Value: BinaryCodable {
    /// In key order, so that equal dictionaries give equal bytes.
    public func encode(to writer: inout BinaryWriter) {
        writer.writeVarint(UInt64(count))
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            writer.writeString(key)
            value.encode(to: &writer)
        }
    }

    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let count = try reader.readCount()
        self.init(minimumCapacity: count)
        for _ in 0..<count {
            let key = try reader.readString()
            self[key] = try Value(from: &reader)
        }
    }
}

/// Enumerations stored by their raw string, so that adding or reordering cases never changes
/// what stored bytes mean.
extension BinaryCodable where Self: RawRepresentable, RawValue == String {
    /// Writes the raw string, so that adding or reordering cases never changes stored bytes.
    public func encode(to writer: inout BinaryWriter) { writer.writeString(rawValue) }
    /// Reads the raw string; one that names no case is a ``BinaryDecodingError``.
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let raw = try reader.readString()
        guard let value = Self(rawValue: raw) else { throw BinaryDecodingError("'\(raw)' is not a \(Self.self)") }
        self = value
    }
}

extension WorkerStatus: BinaryCodable {}
extension WorkItemStatus: BinaryCodable {}
extension WorkItemType: BinaryCodable {}
extension Priority: BinaryCodable {}
extension SpawnMode: BinaryCodable {}
extension FailureCategory: BinaryCodable {}
