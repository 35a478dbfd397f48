import Foundation

/// How a setting's value is written as text, and what is allowed: the parser every source
/// shares (flag, environment, settings file), the range `--help` and the README state, and how
/// a value is shown back.
public struct SettingFormat<Value: Sendable>: Sendable {
    /// What is allowed, in words (`1 to 10000`); empty when any text is.
    public let allowed: String
    /// For whole numbers (and lists of them), the range each number must lie in.
    public let bounds: ClosedRange<Int>?
    private let parser: @Sendable (String) throws(SettingProblem) -> Value
    private let writer: @Sendable (Value) -> String

    /// A format that parses text with `parse`, writes a value with `write`, and allows what
    /// `allowed` says.
    public init(
        allowed: String, bounds: ClosedRange<Int>? = nil,
        parse: @escaping @Sendable (String) throws(SettingProblem) -> Value,
        write: @escaping @Sendable (Value) -> String
    ) {
        self.allowed = allowed
        self.bounds = bounds
        self.parser = parse
        self.writer = write
    }

    /// The value `text` (already trimmed, never empty) stands for.
    public func parse(_ text: String) throws(SettingProblem) -> Value { try parser(text) }

    /// `value` as it would be written; empty for none.
    public func text(of value: Value) -> String { writer(value) }
}

extension SettingFormat where Value: FixedWidthInteger & Sendable {
    /// A whole number in `range`.
    public static func integer(in range: ClosedRange<Value>) -> SettingFormat {
        SettingFormat(
            allowed: "\(range.lowerBound) to \(range.upperBound)",
            bounds: Int(range.lowerBound)...Int(range.upperBound),
            parse: { text throws(SettingProblem) in try wholeNumber(text, in: range) },
            write: { "\($0)" })
    }
}

extension SettingFormat {
    /// A comma-separated list of `count` whole numbers, each in `range`.
    public static func integers<Element: FixedWidthInteger & Sendable>(
        in range: ClosedRange<Element>, count: ClosedRange<Int>
    ) -> SettingFormat where Value == [Element] {
        SettingFormat<[Element]>(
            allowed: "\(count.lowerBound) to \(count.upperBound) numbers, each \(range.lowerBound) to \(range.upperBound)",
            bounds: Int(range.lowerBound)...Int(range.upperBound),
            parse: { text throws(SettingProblem) in
                let words = text.split(separator: ",", omittingEmptySubsequences: false).map { trimmed($0) }
                guard count.contains(words.count) else {
                    throw SettingProblem(
                        "\(quoted(text)) must list \(count.lowerBound) to \(count.upperBound) numbers, separated by commas")
                }
                var values: [Element] = []
                for word in words {
                    guard Element(word) != nil || Int128(word) != nil else {
                        throw SettingProblem("\(quoted(text)): \(quoted(word)) is not a whole number")
                    }
                    values.append(try wholeNumber(word, in: range))
                }
                return values
            },
            write: { $0.map { "\($0)" }.joined(separator: ",") })
    }
}

extension SettingFormat where Value == Int64 {
    /// A fraction written as a decimal (`0.25`), kept as whole thousandths in `range`
    /// (``Thousandths``).
    public static func fraction(in range: ClosedRange<Int64>) -> SettingFormat {
        let allowed = "\(Thousandths.text(range.lowerBound)) to \(Thousandths.text(range.upperBound))"
        return SettingFormat(
            allowed: allowed, bounds: Int(range.lowerBound)...Int(range.upperBound),
            parse: { text throws(SettingProblem) in
                guard let number = Double(text), let value = Thousandths.from(number) else {
                    throw SettingProblem("\(quoted(text)) is not a number with at most three decimals")
                }
                guard range.contains(value) else { throw SettingProblem("\(text) is out of range: use \(allowed)") }
                return value
            },
            write: { Thousandths.text($0) })
    }
}

extension SettingFormat {
    /// A comma-separated list of names of `Element`'s cases; none by default.
    public static func list<Element: RawRepresentable & CaseIterable & Sendable>(of _: Element.Type) -> SettingFormat
    where Value == [Element], Element.RawValue == String {
        let names = Element.allCases.map(\.rawValue).joined(separator: ", ")
        return SettingFormat<[Element]>(
            allowed: "any of \(names), comma-separated",
            parse: { text throws(SettingProblem) in
                var values: [Element] = []
                for word in text.split(separator: ",").map({ trimmed($0) }) where !word.isEmpty {
                    guard let value = Element(rawValue: word) else { throw SettingProblem("\(quoted(word)) is not one of \(names)") }
                    if !values.contains(where: { $0.rawValue == value.rawValue }) { values.append(value) }
                }
                return values
            },
            write: { $0.map(\.rawValue).joined(separator: ",") })
    }
}

extension SettingFormat where Value == String {
    /// Any text.
    public static var text: SettingFormat {
        SettingFormat(allowed: "", parse: { $0 }, write: { $0 })
    }

    /// 1 to `maxLength` ASCII letters, digits, `.`, `_` or `-` (a container label).
    public static func label(maxLength: Int) -> SettingFormat {
        SettingFormat(
            allowed: "1 to \(maxLength) letters, digits, '.', '_' or '-'",
            parse: { text throws(SettingProblem) in
                guard text.utf8.count <= maxLength, text.unicodeScalars.allSatisfy(isLabelCharacter) else {
                    throw SettingProblem("\(quoted(text)) must be 1 to \(maxLength) letters, digits, '.', '_' or '-'")
                }
                return text
            },
            write: { $0 })
    }

    /// One of `choices`.
    public static func choice(_ choices: [String]) -> SettingFormat {
        let list = choices.joined(separator: ", ")
        return SettingFormat(
            allowed: list,
            parse: { text throws(SettingProblem) in
                guard choices.contains(text) else { throw SettingProblem("\(quoted(text)) is not one of \(list)") }
                return text
            },
            write: { $0 })
    }
}

extension SettingFormat where Value == String? {
    /// Any text; none by default.
    public static var optionalText: SettingFormat {
        SettingFormat(allowed: "", parse: { $0 }, write: { $0 ?? "" })
    }

    /// Any text, shown with what `redact` leaves of it (a URL without its password, say).
    public static func optionalText(shownAs redact: @escaping @Sendable (String) -> String) -> SettingFormat {
        SettingFormat(allowed: "", parse: { $0 }, write: { $0.map(redact) ?? "" })
    }

    /// An `http://` or `https://` URL with a host.
    public static var httpURL: SettingFormat {
        SettingFormat(
            allowed: "an http:// or https:// URL",
            parse: { text throws(SettingProblem) in
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                    throw SettingProblem("\(quoted(text)) must be an http:// or https:// URL with a host")
                }
                return text
            },
            write: { $0 ?? "" })
    }
}

/// `text` as a whole number in `range`, or why not.
private func wholeNumber<Value: FixedWidthInteger>(_ text: String, in range: ClosedRange<Value>)
    throws(SettingProblem) -> Value
{
    guard let value = Value(text) else {
        // A number too large for the type is out of range rather than not a number.
        if let wide = Int128(text) {
            throw SettingProblem("\(wide) is out of range: use \(range.lowerBound) to \(range.upperBound)")
        }
        throw SettingProblem("\(quoted(text)) is not a whole number")
    }
    guard range.contains(value) else {
        throw SettingProblem("\(value) is out of range: use \(range.lowerBound) to \(range.upperBound)")
    }
    return value
}

private func trimmed(_ text: Substring) -> String {
    String(text.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
}

private func isLabelCharacter(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
}
