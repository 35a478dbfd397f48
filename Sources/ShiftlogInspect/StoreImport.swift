import Foundation
public import ShiftlogStore

/// Importing JSON lines into a store that is not a new folder (PostgreSQL), with the same
/// checks and the same all-or-nothing promise as an import into a folder.
///
/// Every line is first checked and written into a staging LMDB folder
/// (`<staging>.importing-<pid>`, as a folder import does); only a complete, valid log is then
/// copied into the store, in batches, through the same record encoder, so the store holds the
/// staged record bytes. A bad line leaves the store untouched; a copy broken off leaves it as
/// it was too, when the caller's `build` makes the store the log only once it is filled (as
/// `ShiftlogPostgres.PostgresStagingSchema` does).
extension JSONLines {
    /// Imports `input` into the store `build` provides, which must hold no log yet.
    ///
    /// `build` is called once every line has been checked, so a bad file never creates the
    /// store's tables: it opens the new store, hands it to the copy it is given, and makes it
    /// the log once that returns. A staging folder left beside `staging` by an import that was
    /// killed is removed first, and reported through `notice`.
    ///
    /// - Returns: how many events were imported.
    /// - Throws: ``InspectError/Code/badInput`` naming the line; ``InspectError/Code/destinationExists``
    ///   when the store holds events, checkpoints or snapshots; or the store's error.
    public static func importLines(
        from input: FileHandle, intoStoreBuiltBy build: (_ copy: (any EventStore) throws -> Void) throws -> Void,
        staging: String, renumber: Bool = false, notice: (String) -> Void = { _ in }, progress: ((Int) -> Void)? = nil
    ) throws -> Int {
        let manager = FileManager.default
        for stale in StagingFolder.abandoned(for: staging) {
            try? manager.removeItem(atPath: stale.path)
            notice("removed \(stale.path), left by an import (process \(stale.pid)) that did not finish")
        }
        let folder = StagingFolder.path(for: staging, pid: ProcessInfo.processInfo.processIdentifier)
        try? manager.removeItem(atPath: folder)
        defer { try? manager.removeItem(atPath: folder) }
        let count = try stage(input, into: folder, renumber: renumber, progress: progress)
        let staged = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        defer { staged.close() }
        try build { store in
            try requireEmpty(store)
            try LogCopy.events(from: staged, to: store)
        }
        return count
    }

    /// Refuses a store that holds anything: events, handler checkpoints or snapshots.
    ///
    /// - Throws: ``InspectError/Code/destinationExists``.
    public static func requireEmpty(_ store: any EventStore) throws {
        let events = try store.lastSequence()
        let checkpoints = try store.checkpoints().count
        let snapshot = try store.latestSnapshot()
        guard events == 0, checkpoints == 0, snapshot == nil else {
            throw InspectError(
                .destinationExists,
                "\(store.location) already holds a log (\(events) events, \(checkpoints) checkpoints\(snapshot == nil ? "" : ", snapshots")); import writes only into an empty one")
        }
    }
}
