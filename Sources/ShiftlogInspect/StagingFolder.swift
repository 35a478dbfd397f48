import Foundation

/// The folder an import writes into before renaming it into place: `<destination>.importing-<pid>`.
/// One whose process is gone was left by an import that was killed; the next import into
/// the same destination removes it.
enum StagingFolder {
    static func path(for destination: String, pid: Int32) -> String {
        destination + ".importing-\(pid)"
    }

    /// Builds a new log at `destination`, which must not exist or be an empty folder: `build`
    /// writes it into this process's staging folder, renamed into place when it returns. When it
    /// throws, the staging folder is removed and nothing is left at `destination`. Staging
    /// folders of imports that were killed are removed first and reported through `notice`.
    ///
    /// - Throws: ``InspectError/Code/destinationExists``, or what `build` throws.
    static func build<T>(_ destination: String, notice: (String) -> Void, _ build: (String) throws -> T) throws -> T {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination), !isEmptyFolder(destination) {
            throw InspectError(.destinationExists, "\(destination) exists and is not empty; import writes only into a new folder")
        }
        for stale in abandoned(for: destination) {
            try? manager.removeItem(atPath: stale.path)
            notice("removed \(stale.path), left by an import (process \(stale.pid)) that did not finish")
        }
        let staging = path(for: destination, pid: ProcessInfo.processInfo.processIdentifier)
        try? manager.removeItem(atPath: staging)
        do {
            let result = try build(staging)
            // rename(2) replaces an empty folder and refuses any other: a folder that filled up
            // meanwhile (a service started on it) is never removed.
            guard rename(staging, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                throw InspectError(
                    .destinationExists,
                    "\(destination) is no longer an empty folder (\(reason)); nothing was written into it")
            }
            return result
        } catch {
            try? manager.removeItem(atPath: staging)
            throw error
        }
    }

    private static func isEmptyFolder(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }

    /// Staging folders for `destination` whose import process no longer runs.
    static func abandoned(for destination: String) -> [(path: String, pid: Int32)] {
        let url = URL(fileURLWithPath: destination).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".importing-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid > 0, !isRunning(pid) else {
                return nil
            }
            return (parent + "/" + name, pid)
        }
    }

    /// Whether a process `pid` exists (one of another user still counts).
    private static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
