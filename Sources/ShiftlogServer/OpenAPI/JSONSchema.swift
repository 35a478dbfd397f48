import ShiftlogCore

/// A JSON Schema (the 2020-12 dialect OpenAPI 3.1 uses), built from a few typed pieces so that
/// the document's bounds and enumerations come from the code's own (``Limits``,
/// `CaseIterable` statuses) instead of being written out again.
struct JSONSchema: Sendable {
    /// The schema as JSON.
    var json: JSONValue

    init(json: JSONValue) {
        self.json = json
    }

    /// A schema of these keywords.
    init(_ keywords: [String: JSONValue]) {
        json = .object(keywords)
    }

    /// Any JSON value.
    static let anything = JSONSchema([:])
    static let boolean = JSONSchema(["type": .string("boolean")])
    static let number = JSONSchema(["type": .string("number")])
    /// `true` and nothing else (whim's `{"success": true}`).
    static let alwaysTrue = JSONSchema(["const": .bool(true)])
    /// An ISO 8601 time as ``Timestamp`` writes it.
    static let time = JSONSchema(["type": .string("string"), "format": .string("date-time")])
    /// A JSON object with any members.
    static let anyObject = JSONSchema(["type": .string("object")])

    /// A string, with optional bounds on its length (in code points, which are never fewer than
    /// the characters the service counts) and a pattern.
    static func string(minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": .string("string")]
        if let minLength { members["minLength"] = .integer(Int64(minLength)) }
        if let maxLength { members["maxLength"] = .integer(Int64(maxLength)) }
        if let pattern { members["pattern"] = .string(pattern) }
        return JSONSchema(json: .object(members))
    }

    /// A whole number, within `range` if given.
    static func integer(_ range: ClosedRange<Int>? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": .string("integer")]
        if let range {
            members["minimum"] = .integer(Int64(range.lowerBound))
            members["maximum"] = .integer(Int64(range.upperBound))
        }
        return JSONSchema(json: .object(members))
    }

    /// One of the raw values of `type`'s cases.
    static func oneOf<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> JSONSchema where T.RawValue == String {
        strings(type.allCases.map(\.rawValue))
    }

    /// One of `values`.
    static func strings(_ values: [String]) -> JSONSchema {
        JSONSchema(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
    }

    /// An array of `element`s, at most `maxItems` of them if given.
    static func array(_ element: JSONSchema, maxItems: Int? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": .string("array"), "items": element.json]
        if let maxItems { members["maxItems"] = .integer(Int64(maxItems)) }
        return JSONSchema(json: .object(members))
    }

    /// An object whose members are `properties`, of which `required` must be present. Other
    /// members are allowed (answers may grow; bodies are read field by field, and the service
    /// ignores members it does not know).
    static func object(_ properties: KeyValuePairs<String, JSONSchema>, required: [String] = []) -> JSONSchema {
        var members: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.key, $0.value.json) })),
        ]
        if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
        return JSONSchema(json: .object(members))
    }

    /// A request body's object (or an object inside one): as ``object(_:required:)``, except
    /// that a member that is not required may also be `null`, which the service reads as
    /// absent (``RequestBody``).
    static func body(_ properties: KeyValuePairs<String, JSONSchema>, required: [String] = []) -> JSONSchema {
        let members = properties.map { member in (member.key, required.contains(member.key) ? member.value : member.value.orNull) }
        var keywords: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(Dictionary(uniqueKeysWithValues: members.map { ($0.0, $0.1.json) })),
        ]
        if !required.isEmpty { keywords["required"] = .array(required.map(JSONValue.string)) }
        return JSONSchema(keywords)
    }

    /// Whether this object schema requires some member: by `required`, or by `anyOf` or `oneOf`
    /// (which the document uses only to require one member of several). Then a request must
    /// carry a body.
    var requiresMembers: Bool {
        guard case .object(let keywords) = json else { return false }
        if case .array(let required)? = keywords["required"], !required.isEmpty { return true }
        return keywords["anyOf"] != nil || keywords["oneOf"] != nil
    }

    /// An object whose every member's value is an `element` (a map).
    static func map(_ element: JSONSchema) -> JSONSchema {
        JSONSchema(["type": .string("object"), "additionalProperties": element.json])
    }

    /// A member that must be present with a value other than `null` (a request body's member
    /// the service reads as absent when it is `null`).
    static func present(_ name: String, as schema: JSONSchema? = nil) -> JSONValue {
        .object([
            "required": .array([.string(name)]),
            "properties": .object([name: schema?.json ?? .object(["not": .object(["type": .string("null")])])]),
        ])
    }

    /// A member that is absent or `null`.
    static func absent(_ name: String) -> JSONValue {
        .object(["properties": .object([name: .object(["type": .string("null")])])])
    }

    /// A schema of the document's `components.schemas`.
    static func named(_ name: String) -> JSONSchema {
        JSONSchema(["$ref": .string("#/components/schemas/\(name)")])
    }

    /// This schema, or `null` (an absent value the service writes as `null`).
    var orNull: JSONSchema {
        JSONSchema(["anyOf": .array([json, .object(["type": .string("null")])])])
    }

    /// This schema with further keywords (`oneOf`, `anyOf`, a description).
    func adding(_ keywords: [String: JSONValue]) -> JSONSchema {
        guard case .object(var members) = json else { return self }
        members.merge(keywords) { _, new in new }
        return JSONSchema(json: .object(members))
    }
}

