/// A value with a hand-written binary form: the stored payload of every event and the
/// projection snapshot. Fields are written in a fixed order with no names, so a layout
/// change needs a new schema version of its event type (see DESIGN.md, "Log format").
public protocol BinaryCodable {
    func encode(to writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws(BinaryDecodingError)
}

extension String: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeString(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.readString() }
}

extension Int: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeSigned(Int64(self)) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        let value = try reader.readSigned()
        guard let int = Int(exactly: value) else { throw BinaryDecodingError("\(value) does not fit an Int") }
        self = int
    }
}

extension Int64: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeSigned(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.readSigned() }
}

extension UInt64: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeVarint(self) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = try reader.readVarint() }
}

extension Double: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.writeVarint(bitPattern) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { self = Double(bitPattern: try reader.readVarint()) }
}

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
    public func encode(to writer: inout BinaryWriter) { writer.writeString(rawValue) }
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
