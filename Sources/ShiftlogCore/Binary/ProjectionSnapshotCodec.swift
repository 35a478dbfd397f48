import Foundation

/// The stored form of a projection snapshot: a marker, then ``LifecycleState`` in binary
/// layout. Equal states give equal bytes (every collection is written in key order), so a
/// replay can compare a snapshot with its own fold byte for byte. Snapshots written as JSON
/// by earlier builds (they start with `{`) still decode.
public enum ProjectionSnapshotCodec {
    /// "SLS" and the layout version.
    static let marker: [UInt8] = [0x53, 0x4C, 0x53, 0x01]

    public static func encode(_ state: LifecycleState) -> [UInt8] {
        var writer = BinaryWriter(capacity: 64 + state.workers.count * 96 + state.workItems.count * 160)
        writer.writeRaw(marker)
        state.encode(to: &writer)
        return writer.bytes
    }

    /// The state in `bytes`, binary or JSON.
    ///
    /// - Throws: ``BinaryDecodingError`` (or a `DecodingError` for JSON) saying what is wrong.
    public static func decode(_ bytes: [UInt8]) throws -> LifecycleState {
        if bytes.first == UInt8(ascii: "{") {
            return try JSONDecoder().decode(LifecycleState.self, from: Data(bytes))
        }
        guard bytes.starts(with: marker) else {
            throw BinaryDecodingError("not a projection snapshot (no marker, and not JSON)")
        }
        return try bytes.withUnsafeBytes { raw in
            try BinaryReader.decode(LifecycleState.self, from: UnsafeRawBufferPointer(rebasing: raw[marker.count...]))
        }
    }
}

extension LifecycleState: BinaryCodable {
    /// Workers and items are written without their keys (a key is always its value's id);
    /// the active-worker and queued indexes are written so that opening a large log does not
    /// scan every worker and item ever seen; the lock index is rebuilt from the locks.
    public func encode(to w: inout BinaryWriter) {
        w.write(lastSequence)
        w.write(lastEventTime)
        w.writeVarint(UInt64(workers.count))
        for key in workers.keys.sorted() { w.write(workers[key]!) }
        w.writeVarint(UInt64(workItems.count))
        for key in workItems.keys.sorted() { w.write(workItems[key]!) }
        w.write(allLocks)
        w.write(rateLimit)
        w.write(metrics)
        w.write(learnings)
        w.write(reviews)
        w.writeVarint(UInt64(capturedLogs.count))
        for key in capturedLogs.keys.sorted() {
            w.write(key)
            w.write(capturedLogs[key]!)
        }
        w.write(configuration)
        w.writeVarint(UInt64(activeWorkerByItem.count))
        for key in activeWorkerByItem.keys.sorted() {
            w.write(key)
            w.write(activeWorkerByItem[key]!)
        }
        w.write(queuedItems.sorted())
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init()
        lastSequence = try r.read()
        lastEventTime = try r.read()
        var count = try r.readCount()
        var workers: [(WorkerID, Worker)] = []
        workers.reserveCapacity(count)
        for _ in 0..<count {
            let worker = try r.read(Worker.self)
            workers.append((worker.id, worker))
        }
        self.workers = try Self.unique(workers, "worker")
        count = try r.readCount()
        var items: [(WorkItemID, WorkItem)] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            let item = try r.read(WorkItem.self)
            items.append((item.id, item))
        }
        self.workItems = try Self.unique(items, "work item")
        for lock in try r.read([FileLock].self) {
            locks[lock.repo, default: [:]][lock.path] = lock
            locksByWorker[lock.workerId, default: []].insert(LockKey(repo: lock.repo, path: lock.path))
        }
        rateLimit = try r.read()
        metrics = try r.read()
        learnings = try r.read()
        reviews = try r.read()
        count = try r.readCount()
        for _ in 0..<count {
            let key = try r.read(WorkerID.self)
            capturedLogs[key] = try r.read([String].self)
        }
        configuration = try r.read()
        count = try r.readCount()
        for _ in 0..<count {
            let item = try r.read(WorkItemID.self)
            activeWorkerByItem[item] = try r.read(WorkerID.self)
        }
        queuedItems = TreeSet(try r.read([WorkItemID].self))
    }

    private static func unique<Value>(_ pairs: [(String, Value)], _ what: String) throws(BinaryDecodingError) -> TreeDictionary<String, Value> {
        var dictionary = TreeDictionary<String, Value>()
        for (key, value) in pairs {
            guard dictionary.updateValue(value, forKey: key) == nil else {
                throw BinaryDecodingError("\(what) '\(key)' appears twice")
            }
        }
        return dictionary
    }
}
