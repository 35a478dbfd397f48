/// One effect handler's health, as ``Engine/handlerStatuses`` reports it: how far it has
/// applied the log, and whether it is failing. For `/health` and `/api/status`.
public struct HandlerStatus: Sendable, Hashable {
    /// The handler's name (its checkpoint key).
    public var name: String
    /// The last event whose effect it has applied (or given up).
    public var appliedSequence: UInt64
    /// Events in the log after ``appliedSequence`` (as of the last commit).
    public var lag: UInt64
    /// Failures in a row: effects that threw, reads of the log, outcomes not stored. 0 once
    /// something succeeds again.
    public var consecutiveFailures: Int
    /// The most recent failure, kept after recovery for the record.
    public var lastError: String?
    /// Effects given up (each recorded as `effectAbandoned`) since the engine opened.
    public var abandonedEffects: Int
    /// Whether its task is running: `false` after ``Engine/close()``, or when it stopped.
    public var isRunning: Bool
    /// Why it stopped while the engine was open; `nil` while it runs or after a close.
    public var stopReason: String?

    /// Failing right now (retrying), or stopped while the engine is open.
    public var isDegraded: Bool { consecutiveFailures > 0 || stopReason != nil }

    /// A status with every field given.
    public init(
        name: String, appliedSequence: UInt64, lag: UInt64, consecutiveFailures: Int, lastError: String?,
        abandonedEffects: Int, isRunning: Bool, stopReason: String?
    ) {
        self.name = name
        self.appliedSequence = appliedSequence
        self.lag = lag
        self.consecutiveFailures = consecutiveFailures
        self.lastError = lastError
        self.abandonedEffects = abandonedEffects
        self.isRunning = isRunning
        self.stopReason = stopReason
    }
}
