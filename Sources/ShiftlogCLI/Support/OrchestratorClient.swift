import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShiftlogCore

/// A client that calls the orchestrator as whim's worker client does: the base URL is
/// `ORCHESTRATOR_URL` with one trailing `/` removed and the route appended; it sends only
/// `Content-Type: application/json` (no auth header: the credential is in the URL); a 2xx
/// must carry a JSON body; a 4xx is not retried.
///
/// One difference, on purpose: a 5xx answer or a connection that fails is retried with
/// ``RetrySchedule``'s backoff for up to a minute, where whim's client gives up after 3
/// attempts in 300 ms (and, reading "4" anywhere in the message as a 4xx, often after the
/// first). A service that cannot write for a while (a full disk answers 503) or restarts
/// leaves the worker waiting, not failing its item.
struct OrchestratorClient: Sendable {
    let baseURL: String
    let http: HTTPClient
    let schedule: RetrySchedule
    /// Told of each failure that will be tried again, and the wait before it.
    let onRetry: @Sendable (_ route: String, _ failure: Failure, _ wait: Duration) -> Void

    init(
        orchestratorURL: String, http: HTTPClient = .shared, schedule: RetrySchedule = RetrySchedule(),
        onRetry: @escaping @Sendable (_ route: String, _ failure: Failure, _ wait: Duration) -> Void = { _, _, _ in }
    ) {
        baseURL = orchestratorURL.hasSuffix("/") ? String(orchestratorURL.dropLast()) : orchestratorURL
        self.http = http
        self.schedule = schedule
        self.onRetry = onRetry
    }

    /// An answer that is not a 2xx with a JSON body, or no answer at all.
    struct Failure: Error, CustomStringConvertible {
        /// The HTTP status, when the service answered.
        var status: UInt?
        var description: String

        /// Worth trying again: no answer, or a 5xx.
        var isTransient: Bool { status.map { $0 >= 500 } ?? true }
    }

    /// Sends `body` (a JSON object) to `route` and returns the parsed JSON answer.
    @discardableResult
    func call(_ method: HTTPMethod, _ route: String, _ body: [String: JSONValue]? = nil) async throws -> JSONValue {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            let failure: Failure
            do {
                return try await once(method, route, body)
            } catch let error as Failure {
                failure = error
            } catch {
                failure = Failure(status: nil, description: "\(error)")
            }
            guard failure.isTransient, let wait = schedule.wait(after: attempt, elapsed: ContinuousClock.now - started) else {
                throw failure
            }
            attempt += 1
            onRetry(route, failure, wait)
            try await Task.sleep(for: wait)
        }
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
            throw Failure(status: response.status.code, description: "HTTP \(response.status.code): \(text.prefix(500))")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw Failure(status: response.status.code, description: "HTTP \(response.status.code) without a JSON body: \(text.prefix(200))")
        }
    }
}
