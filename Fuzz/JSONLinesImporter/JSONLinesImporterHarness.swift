// libFuzzer harness: an export file (`shiftlog export`) through the checks of
// `shiftlog import`, line by line as `JSONLines.importLines` does (split at `\n`), with and
// without `--renumber`. The LMDB writes are left out (they are the store's, and slow); each
// accepted event is instead turned into the record bytes the import would store, and read
// back. Any input may be refused; an accepted event must also export again.
import FuzzSupport
import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLinesImporter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    for renumber in [false, true] {
        var parser = LineParser(renumber: renumber)
        do {
            for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                guard let event = try parser.parse(line) else { continue }
                do {
                    let record = try EventRecord.encode(event)
                    _ = try record.withUnsafeBytes { try EventRecord.decode(sequence: event.sequence, $0) }
                    _ = try JSONLines.line(event)
                } catch {
                    preconditionFailure("an imported event cannot be stored or exported: \(error)")
                }
            }
            try parser.finish()
        } catch {
            continue  // a refused file: what import reports
        }
    }
    return 0
}

@main enum Harness {
    static func main() { FuzzInputs.main(fuzzJSONLinesImporter) }
}
