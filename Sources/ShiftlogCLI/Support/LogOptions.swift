import ArgumentParser
import ShiftlogInspect
import ShiftlogStore

/// `--path` (or its other name, `--store`), shared by every command that reads a log: an LMDB
/// folder, or a PostgreSQL log named by its `postgres://` URL.
///
/// One option with two names rather than two options: the usage line stays what it was for a
/// folder, and there is no "both given" to refuse.
struct LogOptions: ParsableArguments {
    @Option(
        name: [.customLong("path"), .customLong("store")],
        help: ArgumentHelp(
            "The log: a database folder (holding data.mdb), or a PostgreSQL log, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME] (schema: shiftlog).",
            discussion: "Opened read-only: readers never block a running orchestrator, and nothing is changed. A copied data.mdb without its lock.mdb is read without creating one; in PostgreSQL no table is created. A password goes in the URL; messages never show it."))
    var path = StoreLocation.defaultFolder

    func validate() throws {
        _ = try StoreLocation(path)
    }

    /// Opens the log read-only. For a folder, from here on a memory fault or a failed LMDB
    /// assertion (LMDB reading a damaged page) is reported as damage of this log, exit status
    /// 65 (``MemoryFaultReport``, ``LMDBAssertionReport``).
    func open() throws -> any EventStore {
        try StoreLocation(path).openReadOnly()
    }
}

extension LogPoint: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
