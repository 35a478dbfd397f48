#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that nothing listens on now, for `PORT=0`: drawn below the system's
/// ephemeral range (Linux's `ip_local_port_range` starts at 32768), bound, released. A port
/// the system picks there may be given next as the local port of an outgoing connection (to
/// PostgreSQL, to Docker) before the server binds it, and the start then fails "port in use"
/// (it did, under load, in `ServeInstancesDockerTests`). Falls back to a port the system picks.
enum FreePort {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The ports drawn from, below the ephemeral range.
    static let range = 20_000..<32_768

    static func pick() throws -> Int {
        for _ in 0..<200 {
            if let port = try? bound(Int.random(in: range)) { return port }
        }
        return try bound(0)
    }

    /// Binds `port` (0: one the system picks) on 127.0.0.1, releases it, and returns it.
    private static func bound(_ port: Int) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else { throw Failure(description: "cannot find a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
