extension JSONValue {
    /// The value as one line of JSON written by Shiftlog itself, not by Foundation's
    /// `JSONEncoder`, whose spacing, escaping and number forms belong to the toolchain: text
    /// that `decide` puts into events must be the same bytes on any build, so that a log
    /// re-decides to itself.
    ///
    /// The form: no spaces; object keys sorted by their UTF-8 bytes; strings escape only `"`,
    /// `\` and control characters (`\b \f \n \r \t`, others as `\u00XX`); integers in decimal;
    /// other numbers in Swift's shortest round-trip form (`null` if not finite, which JSON
    /// cannot spell).
    public var canonicalText: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// An object's canonical text (see ``canonicalText``).
    public static func canonicalText(of object: [String: JSONValue]) -> String {
        JSONValue.object(object).canonicalText
    }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .integer(let value): text += String(value)
        case .number(let value): text += value.isFinite ? value.description : "null"
        case .string(let value): Self.writeString(value, to: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.write(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, to: &text)
                text += ":"
                members[key]!.write(to: &text)
            }
            text += "}"
        }
    }

    private static func writeString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
