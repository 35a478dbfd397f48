import ArgumentParser
import ShiftlogInspect
import ShiftlogStore

/// `--path`, shared by every command that reads a log.
struct LogOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database folder (holding data.mdb).",
            discussion: "Opened read-only: readers never block a running orchestrator, and the file is never changed. A copied data.mdb without its lock.mdb is read without creating one."))
    var path = "./shiftlog-data"

    /// Opens the log read-only. From here on a memory fault (LMDB reading a damaged page) is
    /// reported as damage of this log, exit status 65 (``MemoryFaultReport``).
    func open() throws -> LMDBEventLog {
        MemoryFaultReport.watch(folder: path)
        return try LMDBEventLog(path: path, options: .init(readOnly: true))
    }
}

extension LogPoint: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
