import Foundation

/// The stored form of a projection snapshot: a marker, then ``LifecycleState`` in binary
/// layout. Equal states give equal bytes (every collection is written in key order), so a
/// replay can compare a snapshot with its own fold byte for byte. Snapshots written as JSON
/// by earlier builds (they start with `{`) still decode.
///
/// Layouts: 1, the first; 2 adds each item's arrival order and the retired records' sums
/// after the fields of 1; 3 adds the leadership of a shared log; 4 writes the rules with their
/// graces and adds the cancel requests and the ends left to exit; 5 writes the rules in their
/// third layout and adds the items' policies and deadline starts. All decode; this build
/// writes 5.
public enum ProjectionSnapshotCodec {
    /// The layout this build writes.
    public static let currentLayout: UInt8 = 5

    /// "SLS" and the layout version.
    static func marker(_ layout: UInt8) -> [UInt8] { [0x53, 0x4C, 0x53, layout] }

    /// The state in layout `layout` (the current one unless a check compares with a
    /// snapshot of an older layout: what the older layout cannot hold is left out).
    public static func encode(_ state: LifecycleState, layout: UInt8 = currentLayout) -> [UInt8] {
        var writer = BinaryWriter(capacity: 64 + state.workers.count * 96 + state.workItems.count * 160)
        writer.writeRaw(marker(layout))
        state.encode(to: &writer, layout: layout)
        return writer.bytes
    }

    /// The layout of a binary snapshot; `nil` for a JSON one or one that is not a snapshot.
    public static func layout(of bytes: [UInt8]) -> UInt8? {
        guard bytes.count >= 4, bytes.starts(with: marker(0).prefix(3)), (1...currentLayout).contains(bytes[3]) else {
            return nil
        }
        return bytes[3]
    }

    /// The state in `bytes`, binary (any layout) or JSON.
    ///
    /// - Throws: ``BinaryDecodingError`` (or a `DecodingError` for JSON) saying what is wrong.
    public static func decode(_ bytes: [UInt8]) throws -> LifecycleState {
        if bytes.first == UInt8(ascii: "{") {
            return try JSONDecoder().decode(LifecycleState.self, from: Data(bytes))
        }
        guard let layout = layout(of: bytes) else {
            throw BinaryDecodingError(
                bytes.starts(with: marker(0).prefix(3)) && bytes.count >= 4
                    ? "projection snapshot layout \(bytes[3]) is newer than this build reads (1...\(currentLayout))"
                    : "not a projection snapshot (no marker, and not JSON)")
        }
        return try bytes.withUnsafeBytes { raw throws(BinaryDecodingError) in
            var reader = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[4...]))
            let state = try LifecycleState(from: &reader, layout: layout)
            guard reader.isAtEnd else {
                throw BinaryDecodingError("\(raw.count - 4 - reader.offset) bytes left over after the value")
            }
            return state
        }
    }
}

extension LifecycleState: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        encode(to: &w, layout: ProjectionSnapshotCodec.currentLayout)
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        try self.init(from: &r, layout: ProjectionSnapshotCodec.currentLayout)
    }

    /// Workers and items are written without their keys (a key is always its value's id).
    /// The indexes and the retirement schedule are not written: decoding rebuilds them from the
    /// data (a scan of the projections, which retirement keeps the size of recent work).
    func encode(to w: inout BinaryWriter, layout: UInt8) {
        w.write(lastSequence)
        w.write(lastEventTime)
        Self.writeValues(workers, to: &w)
        Self.writeValues(workItems, to: &w)
        w.write(allLocks)
        w.write(rateLimit)
        w.write(metrics)
        w.write(learnings)
        w.write(reviews)
        Self.writePairs(capturedLogs, to: &w)
        if layout >= 5 {
            w.write(configuration)
        } else {
            // The rules in the layout of their time, behind the optional's tag.
            w.writeByte(configuration == nil ? 0 : 1)
            if layout == 4 { configuration?.encodeSecondLayout(to: &w) } else { configuration?.encodeFirstLayout(to: &w) }
        }
        retired.encodeFirstLayout(to: &w)
        guard layout >= 2 else { return }
        // The arrival of each item, in the order the items were written.
        w.writeVarint(UInt64(workItems.count))
        for key in workItems.keys.sorted() { w.writeVarint(workItems[key]!.arrival) }
        retired.encodeRecordSums(to: &w)
        guard layout >= 3 else { return }
        w.write(leadership)
        guard layout >= 4 else { return }
        Self.writePairs(cancelRequests, to: &w)
        Self.writePairs(awaitingExit, to: &w)
        guard layout >= 5 else { return }
        Self.writePairs(policies, to: &w)
        Self.writePairs(deadlineStarts, to: &w)
    }

    init(from r: inout BinaryReader, layout: UInt8) throws(BinaryDecodingError) {
        self.init()
        lastSequence = try r.read()
        lastEventTime = try r.read()
        // The indexes are built as the values go by, not by a second pass over the tries.
        var indexes = DerivedIndexes()
        workers = try Self.readValues(&r, key: { $0.id }, "worker") { indexes.add($0) }
        workItems = try Self.readValues(&r, key: { $0.id }, "work item") { indexes.add($0) }
        for lock in try r.read([FileLock].self) { locks[lock.repo, default: [:]][lock.path] = lock }
        rateLimit = try r.read()
        metrics = try r.read()
        learnings = try r.read()
        reviews = try r.read()
        capturedLogs = try Self.readPairs(&r, "captured log")
        if layout >= 5 {
            configuration = try r.read()
        } else {
            switch try r.readByte() {
            case 0: configuration = nil
            case 1 where layout == 4: configuration = try LifecycleConfiguration(secondLayoutFrom: &r)
            case 1: configuration = try LifecycleConfiguration(firstLayoutFrom: &r)
            case let tag: throw BinaryDecodingError("\(tag) is not an optional's tag")
            }
        }
        retired = try RetiredCounts(firstLayoutFrom: &r)
        if layout >= 2 {
            let count = try r.readCount()
            guard count == workItems.count else {
                throw BinaryDecodingError("\(count) arrivals for \(workItems.count) work items")
            }
            for key in workItems.keys.sorted() { workItems[key]!.arrival = try r.readVarint() }
            try retired.decodeRecordSums(from: &r)
        }
        if layout >= 3 { leadership = try r.read() }
        if layout >= 4 {
            cancelRequests = try Self.readPairs(&r, "cancel request")
            awaitingExit = try Self.readPairs(&r, "end left to exit")
        }
        if layout >= 5 {
            policies = try Self.readPairs(&r, "item policy")
            deadlineStarts = try Self.readPairs(&r, "deadline start")
        }
        indexes.install(in: &self)
    }

    /// A count, then the values in key order.
    private static func writeValues<Value: BinaryCodable>(_ dictionary: TreeDictionary<String, Value>, to w: inout BinaryWriter) {
        w.writeVarint(UInt64(dictionary.count))
        for key in dictionary.keys.sorted() { w.write(dictionary[key]!) }
    }

    /// A count, then key and value pairs in key order.
    private static func writePairs<Value: BinaryCodable>(_ dictionary: TreeDictionary<String, Value>, to w: inout BinaryWriter) {
        w.writeVarint(UInt64(dictionary.count))
        for key in dictionary.keys.sorted() {
            w.write(key)
            w.write(dictionary[key]!)
        }
    }

    private static func readValues<Value: BinaryCodable>(
        _ r: inout BinaryReader, key: (Value) -> String, _ what: String, each: (Value) -> Void
    ) throws(BinaryDecodingError) -> TreeDictionary<String, Value> {
        var dictionary = TreeDictionary<String, Value>()
        for _ in 0..<(try r.readCount()) {
            let value = try r.read(Value.self)
            try insert(value, at: key(value), into: &dictionary, what)
            each(value)
        }
        return dictionary
    }

    private static func readPairs<Value: BinaryCodable>(
        _ r: inout BinaryReader, _ what: String
    ) throws(BinaryDecodingError) -> TreeDictionary<String, Value> {
        var dictionary = TreeDictionary<String, Value>()
        for _ in 0..<(try r.readCount()) {
            let key = try r.read(String.self)
            try insert(try r.read(Value.self), at: key, into: &dictionary, what)
        }
        return dictionary
    }

    private static func insert<Value>(
        _ value: Value, at key: String, into dictionary: inout TreeDictionary<String, Value>, _ what: String
    ) throws(BinaryDecodingError) {
        guard dictionary.updateValue(value, forKey: key) == nil else {
            throw BinaryDecodingError("\(what) '\(key)' appears twice")
        }
    }
}
