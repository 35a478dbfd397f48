import Foundation
import ShiftlogCore
import Testing

/// The request patterns of the served document say what the core accepts: the white space it
/// trims is Swift's, character for character, and a lock path without `..` segments matches
/// exactly when the core takes it (with them, the core counts, which no pattern can).
@Suite("The document's patterns and the core's rules")
struct DocumentedPatternTests {
    /// The lock route's body schema, as served.
    static func lockBody(_ service: RunningService) async throws -> [String: Any] {
        let document = try await OpenAPIDocumentTests.served(service)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let operation = try #require(paths["/api/worker/{id}/lock"]?["post"] as? [String: Any])
        let content = try #require((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])
        let schema = try #require((content["application/json"] as? [String: Any])?["schema"] as? [String: Any])
        return try #require(schema["properties"] as? [String: Any])
    }

    static func pattern(_ schema: Any?) throws -> NSRegularExpression {
        let text = try #require((schema as? [String: Any])?["pattern"] as? String)
        return try NSRegularExpression(pattern: text)
    }

    static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test func nonBlankIsWhatTheCoreDoesNotTrim() async throws {
        let service = try await RunningService.start()
        let repo = try Self.pattern(try await Self.lockBody(service)["repo"])
        var checked = 0
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            #expect(Self.matches(repo, text) == !scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
            checked += 1
        }
        #expect(checked > 60_000)
        try await service.stop()
    }

    @Test func aLockPathMatchesExactlyWhenTheCoreTakesIt() async throws {
        let service = try await RunningService.start()
        let files = try #require(try await Self.lockBody(service)["files"] as? [String: Any])
        let path = try Self.pattern(files["items"])
        // Every string of up to 6 of these: a name, dots, slashes, white space (ASCII and not).
        var strings = [""]
        var compared = 0
        for _ in 1...6 {
            strings = strings.flatMap { prefix in ["a", ".", "/", " ", "\u{85}"].map { prefix + $0 } }
            for text in strings {
                let taken = LockPath.normalise(path: text) != nil
                if taken {
                    #expect(Self.matches(path, text), "\(text.debugDescription) is taken but does not match")
                } else if Self.matches(path, text) {
                    // Only a path whose `..` segments the core counts is refused and matches.
                    #expect(Self.hasParentSegment(text), "\(text.debugDescription) matches but is refused")
                }
                compared += 1
            }
        }
        #expect(compared > 19_000)
        try await service.stop()
    }

    /// Whether `path`, trimmed as the core trims it, has a `..` segment.
    static func hasParentSegment(_ path: String) -> Bool {
        let scalars = path.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return false }
        return String(scalars[first...last]).split(separator: "/").contains("..")
    }
}
