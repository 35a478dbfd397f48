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

    /// The field trimmed, `nil` when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    private static func decode(_ part: Substring) throws(ConsoleError) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        guard let decoded = spaced.removingPercentEncoding else {
            throw .badInput("The form or address holds a malformed %-escape: \(String(part.prefix(60)))")
        }
        return decoded
    }
}
