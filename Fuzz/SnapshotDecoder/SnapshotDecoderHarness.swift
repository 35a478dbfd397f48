// libFuzzer harness: the bytes of a stored projection snapshot (binary, any layout, or JSON)
// to `LifecycleState`. Any input may be refused; an accepted one must encode, decode and
// encode again to the same bytes (what the replay check compares).
import FuzzSupport
import ShiftlogCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshotDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let state = try? ProjectionSnapshotCodec.decode(bytes) else { return 0 }
    let layout = ProjectionSnapshotCodec.layout(of: bytes) ?? ProjectionSnapshotCodec.currentLayout
    let encoded = ProjectionSnapshotCodec.encode(state, layout: layout)
    do {
        let again = try ProjectionSnapshotCodec.decode(encoded)
        precondition(ProjectionSnapshotCodec.encode(again, layout: layout) == encoded, "a decoded snapshot does not re-encode stably")
    } catch {
        preconditionFailure("a decoded snapshot, encoded again, is refused: \(error)")
    }
    return 0
}

@main enum Harness {
    static func main() { FuzzInputs.main(fuzzSnapshotDecoder) }
}
