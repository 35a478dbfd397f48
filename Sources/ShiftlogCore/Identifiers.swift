/// The id of a worker. Also the name of its container, so that a repeated spawn adopts the
/// container it already started.
public typealias WorkerID = String

/// The id of a work item.
public typealias WorkItemID = String

/// What an id is minted for; sequential sources use it as a prefix.
public enum IDKind: String, Sendable, CaseIterable {
    /// A worker's id (`worker-N` from a sequential source).
    case worker
    /// A work item's id (`item-N` from a sequential source).
    case workItem = "item"
    /// A command's correlation id (`cmd-N` from a sequential source).
    case command = "cmd"
}

/// Where new ids come from. Injected, so tests and replays are deterministic.
public protocol IDSource: Sendable {
    /// A new, never-before-returned id of the given kind.
    func next(_ kind: IDKind) -> String
}

/// Where the current time comes from. Injected, so tests and replays are deterministic.
public protocol TimeSource: Sendable {
    /// The current time.
    func now() -> Timestamp
}
