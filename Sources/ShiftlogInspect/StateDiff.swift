public import ShiftlogCore
import Foundation

/// A structural diff of two projection documents, as paths into the JSON a user sees:
/// `workers[worker-3].status: "running" → "killed"`.
///
/// Arrays of records are matched by identity, not position: workers and work items by
/// `id`, locks by `repo:path`, metrics and learnings by `workerId` and index; other arrays
/// (and records without an identity) by position.
public struct StateDiff: Sendable, Hashable, Codable {
    /// What happened at a path.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The path is only in the later value, only in the earlier one, or in both with
        /// different values.
        case added, removed, changed
    }

    /// One difference, at one path.
    public struct Change: Sendable, Hashable, Codable {
        /// Where, e.g. `workers[worker-3].status`.
        public var path: String
        /// Added, removed or changed.
        public var kind: Kind
        /// The earlier value; `nil` when added.
        public var before: JSONValue?
        /// The later value; `nil` when removed.
        public var after: JSONValue?
    }

    /// Every difference, in document order.
    public var changes: [Change]

    /// Whether the two are the same.
    public var isEmpty: Bool { changes.isEmpty }

    /// The changes that turn `before` into `after`.
    public init(from before: LifecycleState, to after: LifecycleState) throws {
        self.init(from: try Self.json(ProjectionDocument(before)), to: try Self.json(ProjectionDocument(after)))
    }

    /// The changes that turn one JSON value into another.
    public init(from before: JSONValue, to after: JSONValue) {
        var changes: [Change] = []
        Self.compare(before, after, path: "", into: &changes)
        self.changes = changes
    }

    /// Paths whose changes are bookkeeping rather than news (`lastSequence`).
    public func ignoring(_ paths: Set<String>) -> StateDiff {
        var copy = self
        copy.changes.removeAll { paths.contains($0.path) }
        return copy
    }

    /// One line per change: `~ path: before → after`, `+ path: value`, `- path: value`.
    public var lines: [String] {
        changes.map { change in
            switch change.kind {
            case .added: "+ \(change.path): \(Self.text(change.after))"
            case .removed: "- \(change.path): \(Self.text(change.before))"
            case .changed: "~ \(change.path): \(Self.text(change.before)) → \(Self.text(change.after))"
            }
        }
    }

    static func json(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: CanonicalJSON.compactEncoder().encode(value))
    }

    private static func text(_ value: JSONValue?) -> String {
        guard let value else { return "null" }
        let line = (try? CanonicalJSON.line(value)) ?? "?"
        return line.count > 160 ? String(line.prefix(157)) + "…" : line
    }

    private static func compare(_ a: JSONValue, _ b: JSONValue, path: String, into changes: inout [Change]) {
        guard a != b else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                switch (x[key], y[key]) {
                case (let old?, let new?): compare(old, new, path: child, into: &changes)
                case (nil, let new?): changes.append(Change(path: child, kind: .added, before: nil, after: new))
                case (let old?, nil): changes.append(Change(path: child, kind: .removed, before: old, after: nil))
                case (nil, nil): break
                }
            }
        case (.array(let x), .array(let y)):
            if let keyedX = keyed(x), let keyedY = keyed(y) {
                var seen = Set<String>()
                let byKey = Dictionary(keyedY, uniquingKeysWith: { first, _ in first })
                for (key, old) in keyedX {
                    seen.insert(key)
                    let child = "\(path)[\(key)]"
                    if let new = byKey[key] {
                        compare(old, new, path: child, into: &changes)
                    } else {
                        changes.append(Change(path: child, kind: .removed, before: old, after: nil))
                    }
                }
                for (key, new) in keyedY where !seen.contains(key) {
                    changes.append(Change(path: "\(path)[\(key)]", kind: .added, before: nil, after: new))
                }
            } else if x.count == y.count {
                for index in x.indices { compare(x[index], y[index], path: "\(path)[\(index)]", into: &changes) }
            } else {
                changes.append(Change(path: path, kind: .changed, before: a, after: b))
            }
        default:
            changes.append(Change(path: path, kind: .changed, before: a, after: b))
        }
    }

    /// Array elements by identity, when every element has one and no two share it.
    private static func keyed(_ values: [JSONValue]) -> [(String, JSONValue)]? {
        var result: [(String, JSONValue)] = []
        var counts: [String: Int] = [:]
        for value in values {
            guard case .object(let fields) = value else { return nil }
            let key: String
            if case .string(let id)? = fields["id"] {
                key = id
            } else if case .string(let repo)? = fields["repo"], case .string(let path)? = fields["path"] {
                key = "\(repo):\(path)"
            } else if case .string(let worker)? = fields["workerId"] {
                counts[worker, default: 0] += 1
                key = counts[worker]! == 1 ? worker : "\(worker)#\(counts[worker]!)"
            } else {
                return nil
            }
            result.append((key, value))
        }
        return Set(result.map(\.0)).count == result.count ? result : nil
    }
}
