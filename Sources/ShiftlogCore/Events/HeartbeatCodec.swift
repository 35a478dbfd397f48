/// A hand-written codec for `heartbeatRecorded` payloads, which are most of any log: the same
/// canonical JSON bytes as `CanonicalJSON.compactEncoder()` writes, several times faster both
/// ways. It handles only the plain case (strings with nothing to escape, the known keys) and
/// answers `nil` otherwise, so that the general JSON codec takes over with its own rules and
/// messages. `HeartbeatCodecTests` checks it against the general codec on random values.
enum HeartbeatCodec {
    /// The payload bytes, or `nil` when a string needs escaping.
    static func encode(_ e: HeartbeatRecorded) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(96 + e.workerId.utf8.count + e.workItemId.utf8.count)
        out += #"{"iteration":"#.utf8
        out += String(e.iteration).utf8
        if let status = e.status {
            out += #","status":"#.utf8
            guard append(string: status, to: &out) else { return nil }
        }
        if let tokensIn = e.tokensIn {
            out += #","tokensIn":"#.utf8
            out += String(tokensIn).utf8
        }
        if let tokensOut = e.tokensOut {
            out += #","tokensOut":"#.utf8
            out += String(tokensOut).utf8
        }
        out += #","workItemId":"#.utf8
        guard append(string: e.workItemId, to: &out) else { return nil }
        out += #","workerId":"#.utf8
        guard append(string: e.workerId, to: &out) else { return nil }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The payload, or `nil` for anything but a flat object of the known keys with plain
    /// strings, integers and nulls.
    static func decode(_ bytes: some Collection<UInt8>) -> HeartbeatRecorded? {
        var iteration: Int?
        var status: String?
        var tokensIn: Int?
        var tokensOut: Int?
        var workItemId: String?
        var workerId: String?
        var reader = Reader(bytes: Array(bytes))
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                guard let key = reader.string(), reader.take(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "iteration": guard let v = reader.integer() else { return nil }; iteration = v
                case "status": if !reader.null() { guard let v = reader.string() else { return nil }; status = v }
                case "tokensIn": if !reader.null() { guard let v = reader.integer() else { return nil }; tokensIn = v }
                case "tokensOut": if !reader.null() { guard let v = reader.integer() else { return nil }; tokensOut = v }
                case "workItemId": guard let v = reader.string() else { return nil }; workItemId = v
                case "workerId": guard let v = reader.string() else { return nil }; workerId = v
                default: return nil
                }
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
        }
        guard reader.atEnd, let iteration, let workItemId, let workerId else { return nil }
        return HeartbeatRecorded(
            workerId: workerId, workItemId: workItemId, iteration: iteration, status: status, tokensIn: tokensIn,
            tokensOut: tokensOut)
    }

    /// Appends `"text"`; `false` if it holds a quote, a backslash or a control character.
    private static func append(string: String, to out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            guard byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { return false }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
        return true
    }

    /// Reads compact JSON (no whitespace, as the encoder writes it).
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard offset < bytes.count, bytes[offset] == byte else { return false }
            offset += 1
            return true
        }

        mutating func null() -> Bool {
            guard bytes.count - offset >= 4, bytes[offset] == UInt8(ascii: "n"), bytes[offset + 1] == UInt8(ascii: "u"),
                bytes[offset + 2] == UInt8(ascii: "l"), bytes[offset + 3] == UInt8(ascii: "l")
            else { return false }
            offset += 4
            return true
        }

        /// A string without escapes (a backslash gives `nil`).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = offset
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\"") {
                guard bytes[offset] != UInt8(ascii: "\\") else { return nil }
                offset += 1
            }
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }

        /// An integer that fits in `Int` (no fraction, no exponent).
        mutating func integer() -> Int? {
            let negative = take(UInt8(ascii: "-"))
            let first = offset
            var value = 0
            var digits = 0
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int(bytes[offset] - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                value = plus
                digits += 1
                offset += 1
            }
            // JSON allows no leading zero ("007").
            guard digits > 0, digits == 1 || bytes[first] != UInt8(ascii: "0") else { return nil }
            if offset < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[offset]) { return nil }
            return negative ? -value : value
        }
    }
}
