// libFuzzer harness: the value of one stored event record to `RecordedEvent`.
//
// The input is a record without its closing CRC-32C; the harness decodes it twice: as it
// stands (so the checksum check itself is fuzzed), and sealed with the right checksum (so the
// mutations reach the fields and the payload instead of stopping at the checksum). Any input
// may be refused; an accepted record must encode and decode back to the same bytes.
import FuzzSupport
import ShiftlogCore
import ShiftlogStore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    let sequence: UInt64 = 1
    _ = body.withUnsafeBytes { try? EventRecord.decode(sequence: sequence, $0) }
    let checksum = EventRecord.checksum(sequence: sequence, body: body)
    let sealed = body + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: checksum >> $0) }
    guard let event = sealed.withUnsafeBytes({ try? EventRecord.decode(sequence: sequence, $0) }) else { return 0 }
    guard RecordedEvent.identifierProblem(event.correlationId, "correlationId") == nil,
        event.causationId.flatMap({ RecordedEvent.identifierProblem($0, "causationId") }) == nil
    else { return 0 }  // refused before it is stored, never written
    do {
        let encoded = try EventRecord.encode(event)
        let again = try encoded.withUnsafeBytes { try EventRecord.decode(sequence: sequence, $0) }
        let reencoded = try EventRecord.encode(again)
        precondition(reencoded == encoded, "a decoded record does not re-encode stably")
    } catch {
        preconditionFailure("a decoded record, encoded again, is refused: \(error)")
    }
    return 0
}

@main enum Harness {
    static func main() { FuzzInputs.main(fuzzRecordDecoder) }
}
