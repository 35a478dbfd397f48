import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query string: `+` is a
/// space, `%XX` a byte of UTF-8. A field given twice keeps its last value.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]

    /// Parses `text`; a malformed escape or bytes that are not UTF-8 are refused.
    init(_ text: String) throws(ConsoleError) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            values[name] = value
        }
    }

    init(values: [String: String]) {
        self.values = values
    }

    subscript(_ name: String) -> String? { values[name] }

    /// `value` percent-encoded for a query or a path: letters, digits and `-._~/` kept.
    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The field trimmed, `nil` when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// `+` as a space and each `%XX` as a byte, the bytes read as UTF-8; a `%` not followed by
    /// two hexadecimal digits, or bytes that are not UTF-8, are refused.
    private static func decode(_ part: Substring) throws(ConsoleError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.utf8.count)
        var iterator = part.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .badInput("The form or address holds a malformed %-escape: \(String(part.prefix(60)))")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badInput("The form or address holds bytes that are not UTF-8 text.")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}


extension FormFields {
    /// A path on this console (`/items?status=queued`), never another site's (`//evil`, `http:`).
    func localPath(_ name: String) -> String? {
        guard let path = text(name), path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
            !path.contains(where: { $0.isNewline || $0 == "\0" })
        else { return nil }
        return path
    }
}
