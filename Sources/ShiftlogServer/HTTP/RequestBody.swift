import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
public import ShiftlogCore

/// A request's JSON object, read once and then questioned field by field: each accessor
/// checks the field's type and range and throws a `VALIDATION_ERROR` naming the field, so that
/// no number reaches the engine unchecked.
///
/// Like whim, an empty body reads as `{}`; unlike whim, a body is read as JSON whatever its
/// `Content-Type` says (curl's `-d` sends a form type), and one that is not JSON by RFC 8259
/// (`StrictJSONSyntax`: no trailing comma, no number that reads as 0 or infinity) is a 400,
/// never a 500.
public struct RequestBody: Sendable {
    /// The most a body may hold (whim's limit): more is a 413.
    public static let maxBytes = 1 << 20

    /// The object's fields as parsed; the accessors check them.
    public let fields: [String: JSONValue]
    /// The bytes as received, for the fingerprint of a repeated request.
    public let bytes: [UInt8]
    /// Where this object sits in the body (`metrics.`, `learnings[2].`), for messages.
    let path: String

    /// A body of already parsed `fields`; `bytes` are the raw body, `path` the prefix field
    /// names get in messages (empty for the top-level object).
    public init(fields: [String: JSONValue], bytes: [UInt8] = [], path: String = "") {
        self.fields = fields
        self.bytes = bytes
        self.path = path
    }

    /// The field's full name in messages.
    private func label(_ name: String) -> String { "'\(path)\(name)'" }

    /// Reads and parses the body of `request`.
    static func read(_ request: Request) async throws(APIError) -> RequestBody {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw readError(error)
        }
        return try parse(Array(buffer.readableBytesView))
    }

    /// The answer to a body that could not be read: 413 (closing the connection) when it is
    /// over the limit, 400 when the request is malformed (a bad chunk) or was cut off.
    static func readError(_ error: any Error) -> APIError {
        switch error {
        case is NIOTooManyBytesError:
            return .bodyTooLarge
        case let refusal as EdgeRefusal where refusal.answer.status == .payloadTooLarge:
            return .bodyTooLarge
        default:
            return APIError(.malformedRequest, "the request body could not be read")
        }
    }

    /// Parses `bytes` as a JSON object (empty or blank: `{}`).
    public static func parse(_ bytes: [UInt8]) throws(APIError) -> RequestBody {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            return RequestBody(fields: [:], bytes: bytes)
        }
        if let problem = StrictJSONSyntax.problem(in: bytes) {
            throw APIError.validation("the request body is not valid JSON (RFC 8259): \(problem)")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw APIError.validation("the request body is not valid JSON")
        }
        guard case .object(let fields) = value else {
            throw APIError.validation("the request body must be a JSON object")
        }
        return RequestBody(fields: fields, bytes: bytes)
    }

    // MARK: Fields

    /// A string field. `nil` when absent or `null` and not `required`. Its length is counted in
    /// Unicode code points, as JSON Schema's `maxLength` counts (the OpenAPI document states the
    /// same bound), not in Swift's characters, which a combining mark joins.
    public func string(_ name: String, required: Bool = false, nonEmpty: Bool = false, maxLength: Int? = nil)
        throws(APIError) -> String?
    {
        switch fields[name] {
        case nil, .null?:
            if required { throw APIError.validation("\(label(name)) is required") }
            return nil
        case .string(let text)?:
            if nonEmpty, text.isEmpty { throw APIError.validation("\(label(name)) must not be empty") }
            if let maxLength, text.unicodeScalars.count > maxLength {
                throw APIError.validation("\(label(name)) must be at most \(maxLength) characters")
            }
            return text
        default:
            throw APIError.validation("\(label(name)) must be a string")
        }
    }

    /// A whole number within `range`. `3.0` counts as 3; `1.5`, `"3"` or `1e300` do not.
    public func integer(_ name: String, in range: ClosedRange<Int>, required: Bool = false, closing: String = "")
        throws(APIError) -> Int?
    {
        let whole: Int64
        let label = "'\(path)\(name)\(closing)'"
        switch fields[name] {
        case nil, .null?:
            if required { throw APIError.validation("\(label) is required") }
            return nil
        case .integer(let number)?:
            whole = number
        case .number(let number)? where number.rounded() == number && abs(number) < 9.0e15:
            whole = Int64(number)
        default:
            throw APIError.validation("\(label) must be a whole number between \(range.lowerBound) and \(range.upperBound)")
        }
        guard whole >= Int64(range.lowerBound), whole <= Int64(range.upperBound) else {
            throw APIError.validation("\(label) must be between \(range.lowerBound) and \(range.upperBound), got \(whole)")
        }
        return Int(whole)
    }

    /// A number kept as whole thousandths (`Thousandths`, in ShiftlogCore): `0.25` is 250.
    public func thousandths(_ name: String, required: Bool = false) throws(APIError) -> Int64? {
        let number: Double
        switch fields[name] {
        case nil, .null?:
            if required { throw APIError.validation("\(label(name)) is required") }
            return nil
        case .integer(let whole)?: number = Double(whole)
        case .number(let value)?: number = value
        default: throw APIError.validation("\(label(name)) must be a number")
        }
        guard let value = Thousandths.from(number) else {
            throw APIError.validation("\(label(name)) must be a number with at most three decimals")
        }
        return value
    }

    /// A list of whole numbers, each within `range`, at most `maxCount` of them.
    public func integers(_ name: String, in range: ClosedRange<Int>, maxCount: Int) throws(APIError) -> [Int]? {
        switch fields[name] {
        case nil, .null?: return nil
        case .array(let values)? where values.count <= maxCount:
            var numbers: [Int] = []
            for index in values.indices {
                let element = RequestBody(fields: ["\(index)": values[index]], path: "\(path)\(name)[")
                numbers.append(try element.integer("\(index)", in: range, required: true, closing: "]")!)
            }
            return numbers
        default:
            throw APIError.validation("\(label(name)) must be a list of at most \(maxCount) whole numbers")
        }
    }

    /// Refuses a field other than `names`: for Shiftlog's own objects, where a misspelt
    /// field would otherwise be ignored in silence.
    public func onlyFields(_ names: Set<String>) throws(APIError) {
        if let unknown = fields.keys.sorted().first(where: { !names.contains($0) }) {
            throw APIError.validation("\(label(unknown)) is not a field here; use \(names.sorted().joined(separator: ", "))")
        }
    }

    /// A Boolean field; `nil` when absent or `null`, a `VALIDATION_ERROR` for anything else.
    public func bool(_ name: String) throws(APIError) -> Bool? {
        switch fields[name] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw APIError.validation("\(label(name)) must be true or false")
        }
    }

    /// An array of strings (may be empty), each at most `maxLength` code points.
    public func strings(_ name: String, required: Bool = false, maxCount: Int = 10_000, maxLength: Int = 4_096)
        throws(APIError) -> [String]?
    {
        switch fields[name] {
        case nil, .null?:
            if required { throw APIError.validation("\(label(name)) is required") }
            return nil
        case .array(let values)?:
            guard values.count <= maxCount else { throw APIError.validation("\(label(name)) holds more than \(maxCount) entries") }
            var strings: [String] = []
            strings.reserveCapacity(values.count)
            for (index, value) in values.enumerated() {
                guard case .string(let text) = value else {
                    throw APIError.validation("\(label(name + "[\(index)]")) must be a string")
                }
                guard text.unicodeScalars.count <= maxLength else {
                    throw APIError.validation("\(label(name + "[\(index)]")) must be at most \(maxLength) characters")
                }
                strings.append(text)
            }
            return strings
        default:
            throw APIError.validation("\(label(name)) must be an array of strings")
        }
    }

    /// A nested object, itself read as a body.
    public func object(_ name: String) throws(APIError) -> RequestBody? {
        switch fields[name] {
        case nil, .null?: return nil
        case .object(let nested)?: return RequestBody(fields: nested, path: "\(path)\(name).")
        default: throw APIError.validation("\(label(name)) must be an object")
        }
    }

    /// A nested object's raw value (metadata, context).
    public func rawObject(_ name: String) throws(APIError) -> [String: JSONValue]? {
        switch fields[name] {
        case nil, .null?: return nil
        case .object(let nested)?: return nested
        default: throw APIError.validation("\(label(name)) must be an object")
        }
    }

    /// Any JSON value (review findings).
    public func raw(_ name: String) -> JSONValue? { fields[name] }

    /// An array of objects, each read as a body named `name[i]`.
    public func objects(_ name: String, maxCount: Int = 1_000) throws(APIError) -> [RequestBody]? {
        switch fields[name] {
        case nil, .null?: return nil
        case .array(let values)?:
            guard values.count <= maxCount else { throw APIError.validation("\(label(name)) holds more than \(maxCount) entries") }
            var bodies: [RequestBody] = []
            for (index, value) in values.enumerated() {
                guard case .object(let nested) = value else { throw APIError.validation("\(label(name + "[\(index)]")) must be an object") }
                bodies.append(RequestBody(fields: nested, path: "\(path)\(name)[\(index)]."))
            }
            return bodies
        default:
            throw APIError.validation("\(label(name)) must be an array of objects")
        }
    }
}
