/// How the console lets people in: with `API_KEY` set, a sign-in form exchanges the key for a
/// session; without one, every visitor gets a session of their own at once (its CSRF token still
/// guards every action). Refused keys are reported to `recordRefusal`, which the service points
/// at the recorder of its other refusals (`accessRefused` events).
public struct ConsoleAccess: Sendable {
    /// `API_KEY`; `nil` or empty leaves the console open, as the management routes are.
    public var apiKey: String?
    /// How long a session lasts from its sign-in (`CONSOLE_SESSION_MINUTES`).
    public var sessionLifetime: Duration
    /// Told of each refused sign-in: the route and why.
    public var recordRefusal: @Sendable (_ route: String, _ reason: String) async -> Void

    /// Access with `apiKey` (none: open), sessions lasting `sessionLifetime`, refusals told to
    /// `recordRefusal`.
    public init(
        apiKey: String?, sessionLifetime: Duration = .seconds(12 * 3_600),
        recordRefusal: @escaping @Sendable (_ route: String, _ reason: String) async -> Void = { _, _ in }
    ) {
        self.apiKey = apiKey?.isEmpty == false ? apiKey : nil
        self.sessionLifetime = sessionLifetime
        self.recordRefusal = recordRefusal
    }

    /// Whether signing in is needed.
    public var needsSignIn: Bool { apiKey != nil }

    /// Whether `presented` is the key, compared in constant time.
    func accepts(_ presented: String) -> Bool {
        guard let apiKey else { return true }
        return ConsoleSessions.constantTimeEquals(presented, apiKey)
    }
}
