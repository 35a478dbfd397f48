public import ShiftlogCore
import Synchronization

/// Readable, predictable ids (`worker-1`, `item-1`, `cmd-1`, …), counted per kind: for tests,
/// scenarios and the demo.
public final class SequentialIDs: IDSource {
    private let counters = Mutex([IDKind: Int]())

    /// A source whose counters all start at 1.
    public init() {}

    /// `<kind>-<n>`, with `n` counting the ids of that kind so far.
    public func next(_ kind: IDKind) -> String {
        let n = counters.withLock { counters -> Int in
            counters[kind, default: 0] += 1
            return counters[kind]!
        }
        return "\(kind.rawValue)-\(n)"
    }
}
