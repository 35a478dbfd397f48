import Foundation
import ShiftlogCore

/// Parses and checks the lines of an export one at a time, for ``JSONLines/importLines``:
/// the header first, then one event per line. Every refusal names the line, the field and
/// what is wrong with it. `package` so that the fuzz harness (`Fuzz/JSONLinesImporter`) can
/// feed it lines.
package struct LineParser {
    package let renumber: Bool
    private var lineNumber = 0
    private var sawHeader = false
    private var previous: (sequence: UInt64, time: Timestamp)?
    private var renumbered: [UInt64: UInt64] = [:]
    private var count: UInt64 = 0
    private let decoder = JSONDecoder()

    package init(renumber: Bool) { self.renumber = renumber }

    /// The event on `line`; `nil` for the header or a blank line.
    package mutating func parse(_ line: ArraySlice<UInt8>) throws(InspectError) -> RecordedEvent? {
        lineNumber += 1
        if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { return nil }
        let fields = try object(line)
        if !sawHeader {
            guard case .string(JSONLines.format)? = fields["format"], case .integer(let version)? = fields["version"] else {
                throw bad("not a Shiftlog export: the first line must be \(JSONLines.header)")
            }
            guard version <= JSONLines.version else {
                throw bad("export format version \(version) is newer than this build reads (\(JSONLines.version))")
            }
            sawHeader = true
            return nil
        }
        var event = try recordedEvent(fields)
        if renumber {
            if let previous, event.sequence <= previous.sequence {
                throw bad("'sequence' \(event.sequence) does not follow \(previous.sequence)")
            }
        } else {
            let expected = (previous?.sequence ?? 0) + 1
            guard event.sequence == expected else {
                throw bad("sequence \(event.sequence) where \(expected) was expected (a slice? import it with --renumber)")
            }
        }
        if let previous, event.time < previous.time {
            throw bad("time \(event.time.iso8601) is before the previous event's \(previous.time.iso8601)")
        }
        previous = (event.sequence, event.time)
        count += 1
        if renumber {
            renumbered[event.sequence] = count
            event.sequence = count
            // A cause inside the slice follows it; one outside it is kept, marked as such.
            if let cause = event.causationId, cause.hasPrefix("seq:"), let old = UInt64(cause.dropFirst(4)) {
                event.causationId = renumbered[old].map { "seq:\($0)" } ?? "outside-slice:\(old)"
            }
        }
        return event
    }

    /// Refuses a file that ended before its header.
    package func finish() throws(InspectError) {
        guard sawHeader else {
            throw InspectError(.badInput, "line 1: the file is empty; expected the header \(JSONLines.header)")
        }
    }

    private func bad(_ message: String) -> InspectError { InspectError(.badInput, "line \(lineNumber): \(message)") }

    /// The line as a JSON object. Bytes that are not UTF-8 are named by the field they are in.
    private func object(_ line: ArraySlice<UInt8>) throws(InspectError) -> [String: JSONValue] {
        // The standard library's check is fast; the scalar-by-scalar walk runs only to name the byte.
        if String(validating: line, as: UTF8.self) == nil, let offset = Self.firstInvalidUTF8(line) {
            // Parse the repaired text to say which field holds the bad bytes.
            let repaired = Data(String(decoding: line, as: UTF8.self).utf8)
            if let value = try? decoder.decode(JSONValue.self, from: repaired), let field = Self.path(containing: "\u{FFFD}", in: value) {
                throw bad("\(field) is not valid UTF-8 (byte \(offset + 1) of the line); exports are UTF-8")
            }
            throw bad("byte \(offset + 1) of the line is not valid UTF-8; exports are UTF-8")
        }
        let value: JSONValue
        do {
            value = try decoder.decode(JSONValue.self, from: Data(line))
        } catch {
            throw bad("not valid JSON (\(CanonicalJSON.describe(error)))")
        }
        guard case .object(let fields) = value else { throw bad("not a JSON object") }
        return fields
    }

    private func recordedEvent(_ fields: [String: JSONValue]) throws(InspectError) -> RecordedEvent {
        let sequence = try wholeNumber(fields, "sequence", in: 1...UInt64(Int64.max))
        let timeText = try string(fields, "time")
        guard let time = Timestamp(iso8601: timeText) else {
            throw bad("'time' must be an ISO-8601 UTC time (2026-03-01T09:00:00.000Z), got \(quoted(timeText, limit: 40))")
        }
        let type = try string(fields, "type")
        let schemaVersion = UInt16(try wholeNumber(fields, "schemaVersion", in: 1...UInt64(UInt16.max)))
        let correlationId = try string(fields, "correlationId")
        let causationId: String? =
            switch fields["causationId"] {
            case nil, .null?: nil
            default: try string(fields, "causationId")
            }
        for (id, field) in [(correlationId, "correlationId"), (causationId, "causationId")] {
            if let id, let problem = RecordedEvent.identifierProblem(id, field) { throw bad(problem) }
        }
        guard let payload = fields["payload"] else { throw bad("missing field 'payload'") }
        guard case .object = payload else { throw bad("'payload' must be an object, got \(Self.kind(payload))") }
        let bytes: [UInt8]
        do {
            bytes = Array(try CanonicalJSON.compactEncoder().encode(payload))
        } catch {
            throw bad("'payload' cannot be encoded: \(error)")
        }
        do {
            let event = try EventCodec.decodePayload(typeName: type, schemaVersion: schemaVersion, payload: bytes, as: .json)
            return RecordedEvent(
                sequence: sequence, time: time, correlationId: correlationId, causationId: causationId, event: event)
        } catch {
            throw bad(error.message)
        }
    }

    private func string(_ fields: [String: JSONValue], _ key: String) throws(InspectError) -> String {
        switch fields[key] {
        case .string(let value)?: return value
        case nil: throw bad("missing field '\(key)'")
        case let other?: throw bad("'\(key)' must be a string, got \(Self.kind(other))")
        }
    }

    private func wholeNumber(_ fields: [String: JSONValue], _ key: String, in range: ClosedRange<UInt64>)
        throws(InspectError) -> UInt64
    {
        let problem = "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)"
        switch fields[key] {
        case .integer(let value)? where value >= 0 && range.contains(UInt64(value)): return UInt64(value)
        case .integer(let value)?: throw bad("\(problem), got \(value)")
        case .number(let value)?: throw bad("\(problem), got \(value)")
        case nil: throw bad("missing field '\(key)'")
        case let other?: throw bad("\(problem), got \(Self.kind(other))")
        }
    }

    private static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The offset of the first byte that does not belong to valid UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The path (`'payload.spec'`) of the first string or key holding `needle`.
    static func path(containing needle: Character, in value: JSONValue, at path: [String] = []) -> String? {
        let here = quoted(path.joined(separator: "."))
        switch value {
        case .string(let text): return text.contains(needle) ? here : nil
        case .array(let values):
            for (index, element) in values.enumerated() {
                if let found = Self.path(containing: needle, in: element, at: path.dropLast() + ["\(path.last ?? "")[\(index)]"]) {
                    return found
                }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                if key.contains(needle) { return "a field name in \(path.isEmpty ? "the line" : here)" }
                if let found = Self.path(containing: needle, in: members[key]!, at: path + [key]) { return found }
            }
            return nil
        default: return nil
        }
    }
}
