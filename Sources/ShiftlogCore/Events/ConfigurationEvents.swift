/// The rules an engine decides by, recorded when an engine opens the log with rules that
/// differ from the last recorded ones. Decisions never read it back (they use the running
/// engine's configuration); tools do: `what-if` changes only the knobs it is given, and
/// `timeline` flags heartbeat gaps against the threshold that was in force.
public struct ConfigurationRecorded: Sendable, Hashable, Codable {
    /// The engine's lifecycle rules.
    public var lifecycle: LifecycleConfiguration

    /// A record of `lifecycle`.
    public init(lifecycle: LifecycleConfiguration) {
        self.lifecycle = lifecycle
    }
}
