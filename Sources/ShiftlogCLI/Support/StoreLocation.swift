import ArgumentParser
import Logging
import ShiftlogPostgres
import ShiftlogStore

/// Where a command's log is: an LMDB folder, or a PostgreSQL log when the text given to
/// `--path`/`--store` is a `postgres://` (or `postgresql://`) URL. A URL that does not parse is a
/// `ValidationError` (exit 64) before anything is opened.
enum StoreLocation {
    case folder(String)
    case postgres(PostgresLocation)

    /// The folder every command uses when given no log.
    static let defaultFolder = "./shiftlog-data"

    init(_ text: String) throws {
        guard PostgresLocation.isURL(text) else {
            self = .folder(text)
            return
        }
        do {
            self = .postgres(try PostgresLocation(url: text))
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Opens the log for reading only. A folder gets ``MemoryFaultReport``'s watch and
    /// ``LMDBAssertionReport`` first: damage LMDB meets deep in the file is one line and exit
    /// 65, never a signal.
    ///
    /// - Throws: ``StoreError``: `missing` (66) when there is no log, `unavailable` (69) when the
    ///   server does not answer, `corrupt`, `foreign`, `newerFormat`… (65).
    func openReadOnly() throws -> any EventStore {
        switch self {
        case .folder(let path):
            MemoryFaultReport.watch(folder: path)
            LMDBAssertionReport.install()
            return try LMDBEventLog(path: path, options: .init(readOnly: true))
        case .postgres(let location):
            return try PostgresEventLog(location, options: .init(readOnly: true), logger: Self.quiet)
        }
    }

    /// The tools print their own one-line errors; the driver's log lines would only repeat them.
    static let quiet = Logger(label: "shiftlog.inspect") { _ in SwiftLogNoOpLogHandler() }

    /// The store, for messages: the folder, or the URL without its password.
    var description: String {
        switch self {
        case .folder(let path): path
        case .postgres(let location): location.description
        }
    }
}
