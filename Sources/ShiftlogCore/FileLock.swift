/// A lock on one file of one repository, held by one worker.
public struct FileLock: Sendable, Hashable, Codable {
    /// The repository, normalised.
    public var repo: String
    /// The file's path in it, normalised.
    public var path: String
    /// The worker holding the lock.
    public var workerId: WorkerID
    /// When it took the lock.
    public var acquiredAt: Timestamp

    /// A lock with every field given.
    public init(repo: String, path: String, workerId: WorkerID, acquiredAt: Timestamp) {
        self.repo = repo
        self.path = path
        self.workerId = workerId
        self.acquiredAt = acquiredAt
    }
}

/// The (repository, path) pair a lock is taken on, after normalisation.
public struct LockKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The repository, normalised.
    public var repo: String
    /// The file's path in it, normalised.
    public var path: String

    /// A key of an already normalised repository and path.
    public init(repo: String, path: String) {
        self.repo = repo
        self.path = path
    }

    /// By repository, then path.
    public static func < (lhs: LockKey, rhs: LockKey) -> Bool {
        (lhs.repo, lhs.path) < (rhs.repo, rhs.path)
    }

    /// `repo:path`.
    public var description: String { "\(repo):\(path)" }
}

/// Lock paths are normalised so that `src/a.ts`, `./src/a.ts`, `/src/a.ts` and
/// `src//b/../a.ts` are one lock (whim compared raw strings).
public enum LockPath {
    /// The canonical form of a repository name: surrounding white space removed.
    public static func normalise(repo: String) -> String? {
        let trimmed = repo.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The canonical form of a path inside a repository, or `nil` when the path is empty or
    /// climbs above the repository root.
    public static func normalise(path: String) -> String? {
        var parts: [Substring] = []
        for part in path.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
