import Foundation
import ShiftlogCore

/// Buffered standard output: lines are gathered and written in large chunks, so that a
/// million-line listing is not a million system calls. `flush()` after each batch keeps a
/// `--follow` listing live.
final class Output {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { exit(0) }  // the reader went away (`| head`): stop quietly
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// JSON output: pretty for documents, one line for streams.
func printJSON(_ value: some Encodable) throws {
    print(try CanonicalJSON.pretty(value))
}
