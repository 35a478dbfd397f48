import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShiftlogCore

/// A client that calls the orchestrator exactly as whim's worker client does: the base URL is
/// `ORCHESTRATOR_URL` with one trailing `/` removed and the route appended; it sends only
/// `Content-Type: application/json` (no auth header: the credential is in the URL); 3
/// attempts, 100 ms then 200 ms apart; an answer whose text holds the character "4" is not
/// retried; a 2xx must carry a JSON body.
struct OrchestratorClient: Sendable {
    let baseURL: String
    let http: HTTPClient

    init(orchestratorURL: String, http: HTTPClient = .shared) {
        baseURL = orchestratorURL.hasSuffix("/") ? String(orchestratorURL.dropLast()) : orchestratorURL
        self.http = http
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `body` (a JSON object) to `route` and returns the parsed JSON answer.
    @discardableResult
    func call(_ method: HTTPMethod, _ route: String, _ body: [String: JSONValue]? = nil) async throws -> JSONValue {
        var lastError: any Error = Failure(description: "no attempt made")
        for attempt in 0..<3 {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(100 * attempt)) }
            do {
                return try await once(method, route, body)
            } catch let error as Failure where error.description.contains("4") {
                throw error  // whim's client: a message holding "4" means a 4xx, not worth retrying
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private func once(_ method: HTTPMethod, _ route: String, _ body: [String: JSONValue]?) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + route)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(JSONValue.object(body))))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let text = String(buffer: bytes)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "HTTP \(response.status.code): \(text)")
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
