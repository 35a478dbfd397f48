import Foundation
import Synchronization

/// The console's sessions, in this process's memory: a random id (the cookie's value) with its
/// expiry and the CSRF token every form of that session carries. A restart signs everyone out.
/// At most `capacity` sessions are kept; past it the one expiring first is dropped.
public final class ConsoleSessions: Sendable {
    /// One signed-in browser.
    public struct Session: Sendable, Equatable {
        /// The cookie's value.
        public var id: String
        /// The token each of its forms must send back.
        public var csrfToken: String
        /// When it ends.
        public var expires: ContinuousClock.Instant
    }

    /// The cookie's name.
    public static let cookieName = "shiftlog_session"

    private let lifetime: Duration
    private let capacity: Int
    private let sessions = Mutex<[String: Session]>([:])
    private let notices = Mutex<[String: String]>([:])

    /// Sessions lasting `lifetime`, at most `capacity` at once.
    public init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// A new session.
    public func open() -> Session {
        let now = ContinuousClock.now
        let session = Session(id: Self.token(), csrfToken: Self.token(), expires: now.advanced(by: lifetime))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= capacity, let first = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions[first.key] = nil
            }
            let live = sessions
            notices.withLock { notices in notices = notices.filter { live[$0.key] != nil } }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session named by `id`, if any.
    public func session(_ id: String) -> Session? {
        let now = ContinuousClock.now
        return sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expires > now else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    /// Ends the session named by `id`.
    public func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
        _ = notices.withLock { $0.removeValue(forKey: id) }
    }

    /// Keeps `notice` (what the last action did) for the next page the session shows.
    func setNotice(_ notice: String, for id: String) {
        notices.withLock { $0[id] = notice }
    }

    /// The notice kept for the session, once.
    func takeNotice(for id: String) -> String? {
        notices.withLock { $0.removeValue(forKey: id) }
    }

    /// The live session of the request's `Cookie` header, if any.
    public func session(cookieHeader: String?) -> Session? {
        guard let cookieHeader else { return nil }
        for part in cookieHeader.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == Self.cookieName else { continue }
            if let session = session(pair[1].trimmingCharacters(in: .whitespaces)) { return session }
        }
        return nil
    }

    /// The `Set-Cookie` value that hands `session` to the browser: not readable by scripts, never
    /// sent by another site's request, ending with the session.
    func cookie(for session: Session) -> String {
        let left = ContinuousClock.now.duration(to: session.expires).components
        let seconds = max(0, left.seconds + (left.attoseconds > 0 ? 1 : 0))
        return "\(Self.cookieName)=\(session.id); Path=/; Max-Age=\(seconds); HttpOnly; SameSite=Strict"
    }

    /// The `Set-Cookie` value that removes the cookie.
    static let expiredCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"

    /// 32 random bytes, base64url without padding.
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `a` equals `b`, in time that does not depend on where they differ: how the
    /// console checks a key or a CSRF token, and the service an `API_KEY`.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<min(x.count, y.count) { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
