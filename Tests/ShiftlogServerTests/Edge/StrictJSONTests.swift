import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §4: a trailing comma was accepted and `1e-400` read as 0. Bodies now follow
/// RFC 8259: anything else is a 400 `VALIDATION_ERROR` saying what and where.
@Suite("Strict JSON bodies")
struct StrictJSONTests {
    @Test(arguments: [
        #"{"iteration": 1,}"#, #"{"files": ["a",]}"#, #"{"iteration": 1e-400}"#, #"{"iteration": -2.5e-350}"#,
        #"{"iteration": 1e400}"#, #"{"iteration": 01}"#, #"{"iteration": .5}"#, #"{"iteration": 1.}"#,
        #"{"iteration": NaN}"#, #"{"iteration": Infinity}"#, #"{"a": tru}"#, "{\"a\": \"tab\there\"}",
        #"{"a": "\x"}"#, #"{"a": "\u12"}"#, #"{'a': 1}"#, #"{"a" 1}"#, #"{"a": 1} x"#, #"{"a": 1"#, "// c\n{}",
        #"{"a": +1}"#, String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func isRefused(_ text: String) {
        #expect {
            _ = try RequestBody.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.description.hasPrefix("400 VALIDATION_ERROR: ") && error.message.contains("RFC 8259")
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: APIError.self) { _ = try RequestBody.parse([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]) }
    }

    @Test(arguments: [
        #"{"iteration": 1}"#, #"{"a": [1, 2.5, -3e2, 0, -0.0, 1E+2, 4.9e-324]}"#, #"{"a": {"b": [true, false, null]}}"#,
        #" { "a" : "é \u00e9 \n \" \\ \/" } "#, "{}", "", "  \n", #"{"a": 123456789012345678901234567890}"#,
    ])
    func isAccepted(_ text: String) throws {
        _ = try RequestBody.parse(Array(text.utf8))
    }
}
