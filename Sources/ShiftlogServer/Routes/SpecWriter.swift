import ShiftlogCore

/// Writes a work item's spec from its description. whim asks an LLM; an embedding
/// orchestrator can do the same by implementing this protocol. The default,
/// ``DescriptionAsSpec``, queues the description itself as the spec and says so in the item's
/// metadata (`specSource: "description"`).
public protocol SpecWriter: Sendable {
    /// The spec for `description` in `repo`, and the name of where it came from (recorded in
    /// the item's metadata as `specSource`).
    func spec(forDescription description: String, repo: String) async throws -> (spec: String, source: String)
}

/// Uses the description as the spec, unchanged.
public struct DescriptionAsSpec: SpecWriter {
    /// The spec writer that copies the description.
    public init() {}

    public func spec(forDescription description: String, repo: String) async throws -> (spec: String, source: String) {
        (description, "description")
    }
}
