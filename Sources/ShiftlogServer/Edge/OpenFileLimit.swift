#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit of open files (each connection is one): `shiftlog serve` raises the soft
/// limit to the hard one at start, where the system allows it, so that `MAX_CONNECTIONS` is
/// not cut short by a default of 256 or 1024.
public enum OpenFileLimit {
    /// The soft limit now in force, or `nil` if it cannot be read.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// Raises the soft limit to the hard one (on macOS at most `OPEN_MAX`); returns the soft
    /// limit in force afterwards (unchanged if the system refuses), or `nil` if it cannot be read.
    @discardableResult
    public static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        var target = limit.rlim_max
        #if canImport(Darwin)
        target = min(target, rlim_t(OPEN_MAX))
        #endif
        if limit.rlim_cur < target {
            var raised = limit
            raised.rlim_cur = target
            _ = setrlimit(resource, &raised)
        }
        return current
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
