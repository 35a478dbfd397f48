public import ShiftlogCore

/// The store refused the writer's last append (a full disk, a read-only file system, a
/// database that went away): until an append succeeds again, commands fail with
/// ``EngineError`` `storage`. ``Engine/storeWriteFailure`` shows it, for `/health`.
public struct StoreWriteFailure: Sendable, Hashable {
    /// The store's error, in one line.
    public var message: String
    /// When the first of the failed appends in a row was made.
    public var since: Timestamp

    /// A failure saying `message`, failing since `since`.
    public init(message: String, since: Timestamp) {
        self.message = message
        self.since = since
    }
}
