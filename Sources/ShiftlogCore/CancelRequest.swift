/// The cancel asked of a running worker (``CancelRequested``), kept in
/// ``LifecycleState/cancelRequests`` while the worker is active: what its heartbeat and lock
/// answers carry, and when the loop stops it.
public struct CancelRequest: Sendable, Hashable, Codable {
    /// Why, as the caller gave it; `nil` when none was given.
    public var reason: String?
    /// When the cancel was decided.
    public var requestedAt: Timestamp
    /// The grace the worker was given to end.
    public var graceSeconds: Int64

    /// A request made at `requestedAt` with `graceSeconds` to end.
    public init(reason: String?, requestedAt: Timestamp, graceSeconds: Int64) {
        self.reason = reason
        self.requestedAt = requestedAt
        self.graceSeconds = graceSeconds
    }

    /// When the worker is stopped if it has not ended: the request's time plus its grace.
    public var stopDueAt: Timestamp { requestedAt.adding(seconds: graceSeconds) }
}

extension CancelRequest: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(reason); w.write(requestedAt); w.write(graceSeconds) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(reason: try r.read(), requestedAt: try r.read(), graceSeconds: try r.read())
    }
}
