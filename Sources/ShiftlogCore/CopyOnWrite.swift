/// A value kept out of line, in a reference-counted box that is copied on the first change
/// while shared: the storage of ``Worker`` and ``WorkItem``.
///
/// The hash tries of ``LifecycleState`` store their values inline and move them on every
/// update, insert and removal. A projection of twenty-odd fields is a few hundred bytes to
/// move; kept in a box it is one pointer, and a heartbeat's change is made in place.
struct CopyOnWrite<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The box: a `ManagedBuffer` holding the value as its header and no elements. Its
    /// header is reached through a pointer, so reads and writes cost no dynamic exclusivity
    /// check (a class's stored property would).
    private typealias Box = ManagedBuffer<Value, Never>

    // Changed only through `value`'s `_modify`, which copies the box first unless this is
    // its only reference: no two threads ever see the same box change.
    private nonisolated(unsafe) var box: Box

    init(_ value: Value) { box = Self.makeBox(value) }

    var value: Value {
        get { box.withUnsafeMutablePointerToHeader { $0.pointee } }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Self.makeBox(value) }
            let header = box.withUnsafeMutablePointerToHeader { $0 }
            yield &header.pointee
        }
    }

    private static func makeBox(_ value: Value) -> Box {
        Box.create(minimumCapacity: 0) { _ in value }
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.value == rhs.value
    }

    func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
}
