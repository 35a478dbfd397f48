/// A check of a body against RFC 8259's grammar, before Foundation's decoder reads it:
/// Foundation accepts more (a trailing comma) and rounds a number it cannot hold to 0 or
/// infinity (`1e-400`). Here those are refused with what is wrong and where.
///
/// Also refused: text that is not UTF-8, a control character in a string, nesting deeper than
/// `maxDepth`, and a number that underflows or overflows a `Double`.
enum StrictJSONSyntax {
    /// How deep arrays and objects may nest.
    static let maxDepth = 200

    /// Why `bytes` are not one JSON text, or `nil` if they are.
    static func problem(in bytes: [UInt8]) -> String? {
        guard String(validating: bytes, as: UTF8.self) != nil else { return "it is not UTF-8" }
        var reader = Reader(bytes: bytes)
        do throws(Reader.Failure) {
            reader.skipWhitespace()
            try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.index == bytes.count else { throw Reader.Failure(reason: "text follows the value", at: reader.index) }
            return nil
        } catch {
            return "\(error.reason) at byte \(error.at)"
        }
    }

    private struct Reader {
        struct Failure: Error {
            var reason: String
            var at: Int
        }

        let bytes: [UInt8]
        var index = 0

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        private func fail(_ reason: String) -> Failure { Failure(reason: reason, at: index) }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func value(depth: Int) throws(Failure) {
            guard let byte = current else { throw fail("a value is missing") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth + 1)
            case UInt8(ascii: "["): try array(depth: depth + 1)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("unexpected '\(Character(Unicode.Scalar(byte)))'")
            }
        }

        private mutating func object(depth: Int) throws(Failure) {
            guard depth <= StrictJSONSyntax.maxDepth else { throw fail("nesting deeper than \(StrictJSONSyntax.maxDepth)") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw fail("a member name (a string) is expected") }
                try string()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw fail("':' is expected") }
                index += 1
                skipWhitespace()
                try value(depth: depth)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return
                default: throw fail("',' or '}' is expected")
                }
            }
        }

        private mutating func array(depth: Int) throws(Failure) {
            guard depth <= StrictJSONSyntax.maxDepth else { throw fail("nesting deeper than \(StrictJSONSyntax.maxDepth)") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try value(depth: depth)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return
                default: throw fail("',' or ']' is expected")
                }
            }
        }

        private mutating func string() throws(Failure) {
            index += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { throw fail("the string is not closed") }
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 1
                    case UInt8(ascii: "u"):
                        index += 1
                        for _ in 0..<4 {
                            guard let hex = current, hex.isHexDigit else { throw fail("\\u needs four hexadecimal digits") }
                            index += 1
                        }
                    default:
                        throw fail("'\\\(Character(Unicode.Scalar(escaped)))' is not an escape")
                    }
                case 0x00..<0x20:
                    throw fail("a control character in a string must be escaped")
                default:
                    index += 1
                }
            }
            throw fail("the string is not closed")
        }

        private mutating func literal(_ word: StaticString) throws(Failure) {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard bytes.count - index >= expected.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw fail("unexpected text (not true, false or null)")
            }
            index += expected.count
        }

        private mutating func number() throws(Failure) {
            let start = index
            var mantissaIsZero = true
            if current == UInt8(ascii: "-") { index += 1 }
            switch current {
            case UInt8(ascii: "0"):
                index += 1
                if let next = current, next.isDigit { throw fail("a number must not start with 0") }
            case let digit? where digit.isDigit:
                while let digit = current, digit.isDigit {
                    if digit != UInt8(ascii: "0") { mantissaIsZero = false }
                    index += 1
                }
            default:
                throw fail("a digit is expected")
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let digit = current, digit.isDigit else { throw fail("a digit is expected after '.'") }
                while let digit = current, digit.isDigit {
                    if digit != UInt8(ascii: "0") { mantissaIsZero = false }
                    index += 1
                }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let digit = current, digit.isDigit else { throw fail("a digit is expected in the exponent") }
                while let digit = current, digit.isDigit { index += 1 }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Double(text), value.isFinite else {
                throw Failure(reason: "the number \(text) is too large", at: start)
            }
            if value == 0, !mantissaIsZero { throw Failure(reason: "the number \(text) is too small (it would read as 0)", at: start) }
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    fileprivate var isHexDigit: Bool {
        isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
