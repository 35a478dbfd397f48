import CLMDB

/// The cross-checks every open makes, in O(log n): what the B-trees' own records say (entries,
/// depth, pages: `mdb_stat`) against what a cursor finds at their ends, and the handler
/// checkpoints and the newest snapshot against the last event.
///
/// LMDB does not checksum its pages, and a flipped flag byte can make a tree look empty, or
/// end early, without any error: a reader would see a healthy short log, and a writer would
/// append a new history over the old one. Each tree's record (in the main database, read
/// through the meta page) and the pages a cursor walks down to its first and last entries are
/// different bytes of the file, so damage to one shows as a disagreement with the other.
/// Damage is ``StoreError`` `corrupt`, naming the folder and what disagrees.
extension LMDBEventLog {
    func crossCheck() throws {
        let lastPage = environment.info().lastPage
        try environment.read { txn in
            func damaged(_ what: String) -> StoreError {
                StoreError(.corrupt, "\(path): data.mdb is damaged (\(what)); restore it from a copy")
            }
            /// The tree's entry count from its record, after checking the record against the
            /// pages and the ends a cursor finds.
            func checkTree(_ name: String, _ dbi: MDB_dbi) throws -> (entries: UInt64, first: [UInt8]?, last: [UInt8]?) {
                let stat = try txn.statistics(dbi)
                let entries = UInt64(stat.ms_entries)
                let pages = UInt64(stat.ms_branch_pages).addingReportingOverflow(UInt64(stat.ms_leaf_pages))
                guard stat.ms_depth <= 32, !pages.overflow,
                    pages.partialValue.addingReportingOverflow(UInt64(stat.ms_overflow_pages)).partialValue <= UInt64(lastPage)
                else {
                    throw damaged("the \(name) tree's record gives depth \(stat.ms_depth) and \(stat.ms_branch_pages) + \(stat.ms_leaf_pages) + \(stat.ms_overflow_pages) pages in a file of \(lastPage + 1)")
                }
                var first: [UInt8]?
                var last: [UInt8]?
                try txn.scan(dbi, from: nil) { key, _ in
                    first = Array(key)
                    return false
                }
                try txn.scan(dbi, from: nil, last: true) { key, _ in
                    last = Array(key)
                    return false
                }
                if entries > 0, first == nil || last == nil || stat.ms_depth == 0 {
                    throw damaged("the \(name) tree counts \(entries) entries but a cursor finds none")
                }
                if entries == 0, first != nil || last != nil {
                    throw damaged("the \(name) tree counts no entries but a cursor finds some")
                }
                return (entries, first, last)
            }
            func sequence(_ key: [UInt8]?, _ what: String) throws -> UInt64? {
                guard let key else { return nil }
                guard key.count == 8, let value = key.withUnsafeBytes({ BigEndian.read(UInt64.self, $0, at: 0) }) else {
                    throw damaged("\(what) is \(key.count) bytes, not an 8-byte sequence number")
                }
                return value
            }

            // Events: contiguous keys, so the last is the first plus the count, less one.
            let events = try checkTree("events", eventsDB)
            let first = try sequence(events.first, "the first event key")
            let last = try sequence(events.last, "the last event key") ?? 0
            if let first {
                guard last >= first, last - first == events.entries - 1 else {
                    throw damaged("the events tree counts \(events.entries) entries, but its keys run from #\(first) to #\(last)")
                }
            }

            // Checkpoints (one per effect handler: a few) and the newest snapshot lie within the log.
            let checkpoints = try checkTree("checkpoints", checkpointsDB)
            var found: UInt64 = 0
            try txn.scan(checkpointsDB, from: nil) { key, value in
                found += 1
                let handler = String(decoding: key, as: UTF8.self)
                guard let position = try sequence(Array(value), "the checkpoint of \(handler)") else { return true }
                guard position <= last else {
                    throw damaged("the checkpoint of \(handler) is at #\(position), after the last event #\(last)")
                }
                return found <= checkpoints.entries
            }
            guard found == checkpoints.entries else {
                throw damaged("the checkpoints tree counts \(checkpoints.entries) entries but a cursor finds \(found)")
            }
            let snapshots = try checkTree("snapshots", snapshotsDB)
            if let newest = try sequence(snapshots.last, "the newest snapshot's key"), newest > last {
                throw damaged("the newest snapshot is at #\(newest), after the last event #\(last)")
            }
            _ = try checkTree("meta", metaDB)
        }
    }
}
