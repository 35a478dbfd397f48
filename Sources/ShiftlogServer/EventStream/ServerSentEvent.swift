import NIOCore

/// The `text/event-stream` wire format (WHATWG HTML, "Server-sent events"): fields as
/// `name: value` lines, a blank line ending each message; a line starting with `:` is a
/// comment that clients ignore.
enum ServerSentEvent {
    /// Appends one message: `id`, `event`, then `data` (one `data:` line per line of it).
    static func write(id: UInt64, event: String, data: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        buffer.writeString("id: \(id)\nevent: \(event)\n")
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            buffer.writeString("data: ")
            buffer.writeBytes(line)
            buffer.writeString("\n")
        }
        buffer.writeString("\n")
    }

    /// Appends a comment line and the blank line after it.
    static func writeComment(_ text: String, into buffer: inout ByteBuffer) {
        buffer.writeString(": \(text)\n\n")
    }
}
