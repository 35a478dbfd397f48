import Foundation

/// One JSON style for everything Shiftlog writes: sorted keys, so equal values give equal
/// bytes, and no escaped slashes, so paths and URLs stay readable.
public enum CanonicalJSON {
    /// A compact encoder (one line), for stored payloads and JSON lines.
    public static func compactEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// An indented encoder, for snapshots and files people read.
    public static func prettyEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// The value as indented JSON text.
    public static func pretty(_ value: some Encodable) throws -> String {
        String(decoding: try prettyEncoder().encode(value), as: UTF8.self)
    }

    /// The value as one line of JSON text.
    public static func line(_ value: some Encodable) throws -> String {
        String(decoding: try compactEncoder().encode(value), as: UTF8.self)
    }

    /// A short, readable account of a decoding error: the path to the field and what was wrong.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : "'\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(let type, let context): return "\(path(context)) is not \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) is null, expected \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
