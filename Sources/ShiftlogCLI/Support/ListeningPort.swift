#if canImport(Glibc)
import Glibc
#endif

/// Whether `shiftlog serve` can listen where it is told to, checked before it creates anything
/// (its folder, its key): a port another process holds is one clear line and exit 69, not a
/// bind error after the start.
enum ListeningPort {
    /// The port cannot be listened on.
    struct Unavailable: Error, CustomStringConvertible {
        var message: String
        var description: String { message }

        static func inUse(host: String, port: Int) -> Unavailable {
            Unavailable(message: "port \(port) on \(host) is in use (another shiftlog serve?); stop it, or choose another with --port or PORT")
        }
    }

    /// Binds `host`:`port` (as the server will: `SO_REUSEADDR`) and lets it go again.
    static func check(host: String, port: Int) throws(Unavailable) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw Unavailable(message: "cannot listen on \(host): not an address this machine has (HOST)")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return }  // no socket to check with: the server's own bind will tell
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 else { return }
        let code = errno
        if code == EADDRINUSE { throw .inUse(host: host, port: port) }
        throw Unavailable(message: "cannot listen on port \(port) on \(host): \(String(cString: strerror(code)))")
    }
}
