#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Issue 22 §4 and §5 at the process's edge: a port in use, the default address without
/// `API_KEY`, and a low open-file limit.
@Suite("shiftlog serve at the network edge")
struct ServeEdgeTests {
    /// A socket listening on 127.0.0.1 at a port the system picks; closed by `close`.
    static func occupyPort() throws -> (fd: Int32, port: Int) {
        let (fd, port) = try boundSocket()
        guard listen(fd, 1) == 0 else {
            close(fd)
            throw E2EFailure("cannot occupy a port")
        }
        return (fd, port)
    }

    @Test func aPortInUseIsOneLineAndExit69BeforeAnythingIsCreated() async throws {
        let (fd, port) = try Self.occupyPort()
        defer { close(fd) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shiftlog-port-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ending = try await ShiftlogBinary.runReportingEnding(
            ["serve", "--path", folder + "/data", "--port", String(port), "--runtime", "process"],
            environment: ["HOST": "127.0.0.1"])
        #expect(ending.status == 69)
        #expect(ending.error == "shiftlog: port \(port) on 127.0.0.1 is in use (another shiftlog serve?); stop it, or choose another with --port or PORT\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/data"), "the data folder was created")
    }

    @Test func withoutAnAPIKeyItListensOnThisMachineOnlyAndSaysSo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shiftlog-bind-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let service = try await RunningService.start(
            path: folder + "/data", arguments: ["--runtime", "process", "--port", "0"], environment: ["HOST": "", "API_KEY": ""])
        defer { service.forceCleanUp() }
        #expect(service.output.contains(
            "shiftlog serve: listening on port \(service.port), address 127.0.0.1 (this machine only, as there is no API_KEY; HOST opens it)"),
            "\(service.output)")
        try await service.stop()
    }

    @Test func fiveHundredConnectionsUnderALowFileLimitLeaveHealthAnswering() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shiftlog-files-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // `serve` started with a soft limit of 256 open files (the hard limit as it is). A shell
        // command, not a script file written here: another test's child, forked while the file
        // was open for writing, held it, and executing it failed with "Text file busy".
        let service = try await RunningService.start(
            path: folder + "/data", arguments: ["--runtime", "process", "--port", "0"], environment: [:],
            launcher: ["/bin/sh", "-c", #"ulimit -S -n 256 && exec "$0" "$@""#])
        defer { service.forceCleanUp() }
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for _ in 0..<500 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(service.port).bigEndian)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            sockets.append(fd)
        }
        try await ServiceClient.withHTTPClient(connections: 1, connect: .seconds(2)) { http in
            let client = ServiceClient(http: http, baseURL: service.url)
            // Once with the client's connection being opened (this is what never answered while
            // every file was taken), then timed.
            #expect(try await client.get("/health").status == 200)
            let started = ContinuousClock.now
            let answer = try await client.get("/health")
            let took = started.duration(to: .now)
            #expect(answer.status == 200)
            // The answer is the behaviour (before the fix none came); its time is a measurement,
            // reported, not asserted: a bound in milliseconds fails on a loaded machine.
            print("/health took \(took) with 500 connections open")
        }
        try await service.stop()
    }
}
