import HashTreeCollections

/// Records in the order they were recorded, appended at the end and retired from the front:
/// the metrics, learnings and reviews of ``LifecycleState``.
///
/// Kept in a persistent trie keyed by position, so that a copy handed to a reader costs O(1)
/// and the writer's next append copies only the path it touches (an array would be copied
/// whole at the first append after each batch). Reads by offset from the first element, in
/// order; the trie's hash order is never seen.
public struct RecordQueue<Element: Sendable & Hashable>: Sendable {
    private var storage: TreeDictionary<UInt64, Element> = [:]
    /// The position of the first element. Positions only grow.
    private var head: UInt64 = 0

    /// An empty queue.
    public init() {}

    /// A queue of `elements`, the first one oldest.
    public init(_ elements: some Sequence<Element>) {
        for element in elements { append(element) }
    }

    /// Adds `element` at the end.
    public mutating func append(_ element: Element) {
        storage[head + UInt64(storage.count)] = element
    }

    /// Removes and returns the first element, if any.
    @discardableResult
    public mutating func removeFirst() -> Element? {
        guard let first = storage.removeValue(forKey: head) else { return nil }
        head += 1
        return first
    }
}

extension RecordQueue: RandomAccessCollection {
    /// Always 0: indices count from the oldest element held.
    public var startIndex: Int { 0 }
    /// The number of elements held.
    public var endIndex: Int { storage.count }

    /// The element `position` places after the oldest held. Traps when out of range.
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < storage.count, "RecordQueue index out of range")
        return storage[head + UInt64(position)]!
    }
}

extension RecordQueue: Equatable {
    /// Equal when they hold equal elements in the same order, wherever their positions start
    /// (a queue decoded from a snapshot starts again at 0).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }
}

extension RecordQueue: Codable where Element: Codable {
    /// A JSON array, oldest first.
    public init(from decoder: any Decoder) throws {
        self.init(try [Element](from: decoder))
    }

    /// Encodes the queue as a JSON array, oldest first.
    public func encode(to encoder: any Encoder) throws {
        try Array(self).encode(to: encoder)
    }
}

extension RecordQueue: BinaryCodable where Element: BinaryCodable {
    /// The layout of an array (a count, then the elements, oldest first), so snapshots
    /// written when these were arrays read the same.
    public func encode(to w: inout BinaryWriter) {
        w.write(Array(self))
    }

    /// Reads an array's layout, oldest first.
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(try r.read([Element].self))
    }
}
