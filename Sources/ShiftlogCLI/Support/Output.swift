import Foundation
import ShiftlogCore
import ShiftlogInspect

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

/// Left-aligned columns of fixed widths; the last column takes the rest of the line.
struct Columns {
    var widths: [Int]

    func row(_ cells: [String]) -> String {
        var line = ""
        for (index, cell) in cells.enumerated() {
            if index < widths.count, index < cells.count - 1 {
                line += cell.count >= widths[index] ? cell + " " : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            } else {
                line += cell
            }
        }
        return line
    }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second, shown
/// only when standard error is a terminal (or when forced).
final class ProgressBar {
    private let total: UInt64
    private let label: String
    private let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: UInt64, label: String, force: Bool = false) {
        self.total = max(total, 1)
        self.label = label
        enabled = force || isatty(2) == 1
    }

    func update(_ done: UInt64) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(100) || done >= total else { return }
        lastDraw = now
        let fraction = min(Double(done) / Double(total), 1)
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = (now - started).seconds
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = "\r\(label) \(bar) \(Int(fraction * 100))% \(done)/\(total) \(Self.rate(rate))/s"
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func rate(_ value: Double) -> String {
        if value >= 1_000_000 { return String(format: "%.2fM", value / 1_000_000) }
        if value >= 1_000 { return String(format: "%.1fk", value / 1_000) }
        return String(format: "%.0f", value)
    }
}

/// JSON output: pretty for documents, one line for streams.
func printJSON(_ value: some Encodable) throws {
    print(try CanonicalJSON.pretty(value))
}
