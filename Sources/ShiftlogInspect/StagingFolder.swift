import Foundation

/// The folder an import writes into before renaming it into place: `<destination>.importing-<pid>`.
/// One whose process is gone was left by an import that was killed; the next import into
/// the same destination removes it.
enum StagingFolder {
    static func path(for destination: String, pid: Int32) -> String {
        destination + ".importing-\(pid)"
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
