public import AsyncHTTPClient
import Foundation
import NIOCore
import ShiftlogCore
import NIOHTTP1

/// A thin client of the Docker Engine HTTP API (version 1.41, Docker 20.10 and later): one
/// method a call, each answering in Docker's terms. "Already so" answers (304) and "no such
/// container" (404) are results, not errors; everything else that goes wrong is a
/// ``DockerError`` whose message names the daemon, the call and Docker's own words.
public struct DockerClient: Sendable {
    /// The API version every request is pinned to.
    public static let apiVersion = "1.41"

    /// The daemon this client calls.
    public let endpoint: DockerEndpoint
    /// How long an ordinary call may take before it is a timeout.
    public var timeout: Duration
    private let http: HTTPClient

    /// A client of the daemon at `endpoint`. Nothing is called until the first method: use
    /// ``version()`` to check that the daemon answers.
    public init(endpoint: DockerEndpoint, timeout: Duration = .seconds(30), http: HTTPClient = DockerClient.http) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.http = http
    }

    /// The HTTP client Docker clients share: it fails at once when the daemon cannot be
    /// reached (no retrying the connection until the deadline, as for a remote server: a
    /// local daemon that is down is news to report now), and lives as long as the process.
    public static let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: {
            var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5)))
            configuration.connectionPool.retryConnectionEstablishment = false
            return configuration
        }())

    // MARK: The calls

    /// `GET /version`. Also the check that the daemon speaks API ``apiVersion`` or later.
    public func version() async throws -> DockerVersion {
        let (status, body) = try await call(.GET, "/version", versioned: false, what: "version")
        try expect(status, [200], body, what: "version")
        let version: DockerVersion = try decode(body, what: "version")
        guard Self.compare(version.apiVersion, Self.apiVersion) >= 0 else {
            throw DockerError(
                .unsupportedVersion,
                "Docker at \(endpoint) speaks API \(version.apiVersion) (Docker \(version.version)); Shiftlog needs \(Self.apiVersion) or later")
        }
        return version
    }

    /// `POST /containers/create?name=`: the new container's id. A name in use is a
    /// ``DockerError`` with code `.conflict`; a missing image, `.notFound`.
    public func createContainer(name: String, _ config: DockerContainerConfig) async throws -> String {
        let body = try JSONEncoder().encode(config)
        let (status, answer) = try await call(.POST, "/containers/create?name=\(escape(name))", body: body, what: "create \(name)")
        try expect(status, [201], answer, what: "create \(name)")
        return (try decode(answer, what: "create \(name)") as DockerCreated).id
    }

    /// `POST /containers/{id}/start`: `false` when it was already running (304).
    @discardableResult
    public func startContainer(_ id: String) async throws -> Bool {
        let (status, body) = try await call(.POST, "/containers/\(escape(id))/start", what: "start \(id)")
        try expect(status, [204, 304], body, what: "start \(id)")
        return status == 204
    }

    /// `POST /containers/{id}/stop?t=`: SIGTERM, SIGKILL after `grace` seconds. `false` when
    /// it had already stopped (304). The HTTP timeout is the grace plus ``timeout``.
    @discardableResult
    public func stopContainer(_ id: String, graceSeconds: Int) async throws -> Bool {
        let (status, body) = try await call(
            .POST, "/containers/\(escape(id))/stop?t=\(graceSeconds)", timeout: .seconds(graceSeconds) + timeout,
            what: "stop \(id)")
        try expect(status, [204, 304], body, what: "stop \(id)")
        return status == 204
    }

    /// `POST /containers/{id}/kill`: `false` when it was not running (409).
    @discardableResult
    public func killContainer(_ id: String, signal: String = "SIGKILL") async throws -> Bool {
        let (status, body) = try await call(.POST, "/containers/\(escape(id))/kill?signal=\(signal)", what: "kill \(id)")
        try expect(status, [204, 409], body, what: "kill \(id)")
        return status == 204
    }

    /// `POST /containers/{id}/wait?condition=not-running`: the exit code, once it has exited.
    public func waitContainer(_ id: String, timeout: Duration) async throws -> Int {
        let (status, body) = try await call(
            .POST, "/containers/\(escape(id))/wait?condition=not-running", timeout: timeout, what: "wait \(id)")
        try expect(status, [200], body, what: "wait \(id)")
        return (try decode(body, what: "wait \(id)") as DockerWaitResult).statusCode
    }

    /// `GET /containers/{id}/json`: `nil` when there is no such container.
    public func inspectContainer(_ id: String) async throws -> DockerContainerDetails? {
        let (status, body) = try await call(.GET, "/containers/\(escape(id))/json", what: "inspect \(id)")
        if status == 404 { return nil }
        try expect(status, [200], body, what: "inspect \(id)")
        return try decode(body, what: "inspect \(id)")
    }

    /// `GET /containers/{id}/logs`: the last `tail` lines of standard output and error,
    /// demultiplexed (``DockerLogFrames``). `nil` when there is no such container.
    public func logs(_ id: String, tail: Int) async throws -> [String]? {
        let (status, body) = try await call(
            .GET, "/containers/\(escape(id))/logs?stdout=1&stderr=1&tail=\(max(tail, 0))", what: "logs \(id)")
        if status == 404 { return nil }
        try expect(status, [200], body, what: "logs \(id)")
        return DockerLogFrames.lines(body)
    }

    /// `DELETE /containers/{id}?force=…&v=1`: `false` when there was no such container.
    @discardableResult
    public func removeContainer(_ id: String, force: Bool) async throws -> Bool {
        let (status, body) = try await call(.DELETE, "/containers/\(escape(id))?force=\(force ? 1 : 0)&v=1", what: "remove \(id)")
        if status == 404 { return false }
        try expect(status, [204], body, what: "remove \(id)")
        return true
    }

    /// `GET /containers/json?all=1&filters=`: every container, running or not, with `label`
    /// (`key=value`).
    public func listContainers(label: String) async throws -> [DockerContainerSummary] {
        let filters = String(decoding: try JSONEncoder().encode(["label": [label]]), as: UTF8.self)
        let (status, body) = try await call(.GET, "/containers/json?all=1&filters=\(escape(filters))", what: "list")
        try expect(status, [200], body, what: "list")
        return try decode(body, what: "list")
    }

    // MARK: HTTP

    private func call(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, versioned: Bool = true, timeout: Duration? = nil,
        what: String
    ) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: endpoint.url((versioned ? "/v\(Self.apiVersion)" : "") + path))
        request.method = method
        request.headers.add(name: "Host", value: "docker")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let limit = timeout ?? self.timeout
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(limit.seconds * 1e9)))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), Array(buffer.readableBytesView))
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw DockerError(.timeout, "Docker at \(endpoint): \(what): no answer within \(Int(limit.seconds)) s")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw unreachable(error, what: what)
        }
    }

    private func unreachable(_ error: any Error, what: String) -> DockerError {
        if case .unixSocket(let path) = endpoint.transport, !FileManager.default.fileExists(atPath: path) {
            return DockerError(.unreachable, "Docker is not running: no socket at \(path) (\(what))")
        }
        return DockerError(.unreachable, "Docker at \(endpoint) is not reachable: \(what): \(error)")
    }

    private func expect(_ status: Int, _ accepted: Set<Int>, _ body: [UInt8], what: String) throws {
        guard !accepted.contains(status) else { return }
        let message = (try? JSONDecoder().decode(DockerMessage.self, from: Data(body)).message)
            ?? String(decoding: body.prefix(200), as: UTF8.self)
        let code: DockerError.Code =
            switch status {
            case 404: .notFound
            case 409: .conflict
            default: .daemonError
            }
        throw DockerError(code, "Docker at \(endpoint): \(what): \(status) \(message.trimmingCharacters(in: .whitespacesAndNewlines))", status: status)
    }

    private func decode<T: Decodable>(_ body: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw DockerError(.badResponse, "Docker at \(endpoint): \(what): unreadable answer: \(error)")
        }
    }

    private func escape(_ text: String) -> String { DockerEndpoint.percentEncoded(text) }

    /// Compares dotted version numbers ("1.41" < "1.43").
    static func compare(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: ".").map { Int($0) ?? 0 }
        let y = b.split(separator: ".").map { Int($0) ?? 0 }
        for i in 0..<max(x.count, y.count) {
            let (l, r) = (i < x.count ? x[i] : 0, i < y.count ? y[i] : 0)
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }
}
