import Foundation

/// Reads a pipe line by line on a dispatch thread of its own, so that the concurrency pool
/// never blocks on it, handing each line to `line` as it arrives and calling `end` once the
/// writer closes it. read(2), not `FileHandle.availableData`, which has trapped ("Index out
/// of range") in Foundation on Linux under load.
enum PipeLines {
    static func read(
        _ handle: FileHandle, bufferSize: Int = 65_536, line: @escaping @Sendable (String) -> Void,
        end: @escaping @Sendable () -> Void = {}
    ) {
        DispatchQueue.global().async {
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: bufferSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { Foundation.read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: buffer[0..<count])
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
            }
            end()
        }
    }
}
