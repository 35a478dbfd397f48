/// Docker's log stream for a container without a TTY multiplexes standard output and error in
/// frames: one byte naming the stream (1 out, 2 err), three zero bytes, a big-endian 32-bit
/// payload length, then the payload. A container with a TTY sends its raw bytes instead.
public enum DockerLogFrames {
    /// The stream a frame belongs to, as its first byte names it.
    public enum Stream: UInt8, Sendable, Hashable {
        /// 0: standard input (Docker never sends it in logs), 1: standard output, 2: standard
        /// error.
        case stdin = 0, stdout = 1, stderr = 2
    }

    /// The lines in `bytes`, in the order they were completed. Frames need not end at line
    /// ends: each stream keeps its partial line until its newline arrives. Bytes that do not
    /// start with a valid frame header are read as a raw (TTY) stream.
    public static func lines(_ bytes: [UInt8]) -> [String] {
        guard isMultiplexed(bytes) else { return split(bytes[...]) }
        var lines: [String] = []
        var partial: [Stream: [UInt8]] = [:]
        var order: [Stream] = []
        var offset = 0
        while offset + 8 <= bytes.count {
            let stream = Stream(rawValue: bytes[offset]) ?? .stdout
            let length = bytes[(offset + 4)..<(offset + 8)].reduce(0) { $0 << 8 | Int($1) }
            let end = min(offset + 8 + length, bytes.count)
            if partial[stream] == nil { order.append(stream) }
            var buffer = partial[stream, default: []]
            for byte in bytes[(offset + 8)..<end] {
                if byte == UInt8(ascii: "\n") {
                    lines.append(text(buffer))
                    buffer.removeAll(keepingCapacity: true)
                } else {
                    buffer.append(byte)
                }
            }
            partial[stream] = buffer
            offset = end
        }
        for stream in order where !(partial[stream]?.isEmpty ?? true) { lines.append(text(partial[stream]!)) }
        return lines
    }

    /// Whether `bytes` starts like a multiplexed stream (and is empty or whole frames).
    static func isMultiplexed(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8 else { return bytes.isEmpty }
        return bytes[0] <= 2 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0
    }

    private static func split(_ bytes: ArraySlice<UInt8>) -> [String] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { text(Array($0)) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
