import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls a running `shiftlog serve` as an operator's script would: JSON in, status and JSON out.
struct ServiceClient: Sendable {
    let http: HTTPClient
    let baseURL: String
    /// Sent as `X-API-Key` when the service was started with `API_KEY`.
    var apiKey: String?

    struct Answer: @unchecked Sendable {
        var status: Int
        var json: Any?
        var text: String
    }

    /// Runs `body` with an HTTP client allowing `connections` connections to a host at once,
    /// and shuts the client down after it, whether it threw or not. A connection that cannot
    /// be opened fails after `connect` (AsyncHTTPClient keeps trying until then): calls to an
    /// instance that has been killed pass a short one, so that they fail fast.
    static func withHTTPClient<T>(
        connections: Int = 8, connect: TimeAmount = .seconds(5), _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: connect, read: .seconds(20))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    func get(_ route: String) async throws -> Answer {
        try await send(.GET, route, body: nil)
    }

    func post(_ route: String, _ body: [String: Any]) async throws -> Answer {
        try await send(.POST, route, body: try JSONSerialization.data(withJSONObject: body))
    }

    func send(_ method: HTTPMethod, _ route: String, body: Data?) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + route)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let text = String(buffer: bytes)
        return Answer(status: Int(response.status.code), json: try? JSONSerialization.jsonObject(with: Data(text.utf8)), text: text)
    }

    /// Every item (`GET /api/queue?status=all`).
    func items() async throws -> [[String: Any]] {
        let answer = try await get("/api/queue?status=all")
        guard answer.status == 200, let items = (answer.json as? [String: Any])?["items"] as? [[String: Any]] else {
            throw E2EFailure("GET /api/queue?status=all answered \(answer.status): \(answer.text)")
        }
        return items
    }

    /// Every worker (`GET /api/workers`).
    func workers() async throws -> [[String: Any]] {
        let answer = try await get("/api/workers")
        guard answer.status == 200, let workers = answer.json as? [[String: Any]] else {
            throw E2EFailure("GET /api/workers answered \(answer.status): \(answer.text)")
        }
        return workers
    }

    /// Adds an item (`POST /api/work`) and returns its id.
    func add(repo: String, spec: String, priority: String = "medium") async throws -> String {
        let answer = try await post("/api/work", ["repo": repo, "spec": spec, "priority": priority])
        guard answer.status == 201, let id = (answer.json as? [String: Any])?["id"] as? String else {
            throw E2EFailure("POST /api/work answered \(answer.status): \(answer.text)")
        }
        return id
    }
}

/// The events of a log, read back with the built binary (`shiftlog events --json`), each as
/// its JSON object (`type`, `sequence`, `payload`, …).
func loggedEvents(in path: String, types: [String] = []) async throws -> [[String: Any]] {
    let (status, output) = try await ShiftlogBinary.run(["events", "--path", path, "--json"] + types.flatMap { ["--type", $0] })
    guard status == 0 else { throw E2EFailure("shiftlog events exited \(status): \(output)") }
    return output.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A field of an event's payload.
    func payload(_ field: String) -> Any? { (self["payload"] as? [String: Any])?[field] }
}
