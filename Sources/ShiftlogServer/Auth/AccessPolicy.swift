import Foundation
import HTTPTypes
import Hummingbird
public import ShiftlogConsole
import ShiftlogCore

/// Who may call what:
///
/// - `/health` is open.
/// - Management routes need `API_KEY` (as `X-API-Key` or `Authorization: Bearer`) when one is
///   set, and are open otherwise, as in whim.
/// - A worker route for worker A needs A's own credential (in the `/w/<credential>` prefix of
///   its URL, or as a bearer token), or the management key when one is set. Another worker's
///   credential is a 403, none a 401, with or without `API_KEY`: unlike whim, no one on the
///   network can complete or fail somebody else's worker.
/// - `GET /api/learnings`, the one management route workers call, also takes any worker's
///   credential; `register` also takes the credential of the item's active worker (checked by
///   the route, which knows the item).
/// - A browser signed in to the console (its session cookie) may read the management routes
///   (`GET`: the event stream the console's pages follow); it changes nothing through them, as
///   the console's own forms carry a CSRF token and the API's writes do not.
public struct AccessPolicy: Sendable {
    /// `API_KEY`; `nil` or empty leaves management routes open.
    public let apiKey: String?
    /// How worker credentials are checked.
    public let credentials: WorkerCredentials
    /// The console's sessions, whose cookie lets a browser read the management routes.
    public let consoleSessions: ConsoleSessions?

    /// A policy with `apiKey` (an empty key counts as none), the workers' `credentials`, and
    /// the console's sessions.
    public init(apiKey: String?, credentials: WorkerCredentials, consoleSessions: ConsoleSessions? = nil) {
        self.apiKey = apiKey?.isEmpty == false ? apiKey : nil
        self.credentials = credentials
        self.consoleSessions = consoleSessions
    }

    /// Whether the request is a read (`GET`, `HEAD`) from a browser signed in to the console.
    func isConsoleRead(method: HTTPRequest.Method, headers: HTTPFields) -> Bool {
        guard method == .get || method == .head, let sessions = consoleSessions else { return false }
        return sessions.session(cookieHeader: headers[.cookie]) != nil
    }

    /// The strongest identity the request proves: the management key, else a worker's
    /// credential from the path prefix or the bearer token.
    func caller(headers: HTTPFields, pathCredential: String?) -> Caller {
        let bearer = headers[.authorization].flatMap { value -> String? in
            let prefix = "Bearer "
            guard value.count > prefix.count, value.lowercased().hasPrefix("bearer ") else { return nil }
            return String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        if let apiKey {
            let presented = [headers[Self.apiKeyHeader], bearer].compactMap { $0 }
            if presented.contains(where: { ConsoleSessions.constantTimeEquals($0, apiKey) }) { return .management }
        }
        for credential in [pathCredential, bearer].compactMap({ $0 }) {
            if let workerId = credentials.worker(presenting: credential) { return .worker(workerId) }
        }
        return .anonymous
    }

    /// Whether anything was presented at all (for the refusal's reason).
    func presentsSomething(headers: HTTPFields, pathCredential: String?) -> Bool {
        pathCredential != nil || headers[.authorization] != nil || headers[Self.apiKeyHeader] != nil
    }

    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
}
