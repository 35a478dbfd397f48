import HTTPTypes
import Hummingbird
import ShiftlogCore

/// Where `GET /api/events` starts: after the `Last-Event-ID` header's sequence when present
/// (a reconnecting EventSource sends it), else after the `after` query parameter's (a
/// sequence, or `now` for the log's head), else from the start. A malformed `after` is refused
/// even beside the header.
enum EventStreamStart {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// The sequence the stream starts after; `head` is the log's last sequence now.
    ///
    /// - Throws: a 400 `VALIDATION_ERROR` naming the parameter when it is not a whole number
    ///   between 0 and `head`.
    static func position(of request: Request, head: UInt64) throws(APIError) -> UInt64 {
        // `after` is checked even when the header wins: a malformed parameter is refused, not ignored.
        let after: UInt64
        switch request.uri.queryParameters.get("after") {
        case nil: after = 0
        case "now": after = head
        case let text?: after = try sequence(String(text), named: "after", head: head, or: ", or now")
        }
        if let id = request.headers[lastEventID] {
            return try sequence(id, named: "Last-Event-ID", head: head, or: "")
        }
        return after
    }

    private static func sequence(_ text: String, named name: String, head: UInt64, or alternative: String)
        throws(APIError) -> UInt64
    {
        // Digits only: `UInt64("+3")` would parse, and an id is never signed.
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = UInt64(text), value <= head
        else {
            throw APIError.validation(
                "'\(name)' must be a whole number between 0 and \(head) (the log's last sequence)\(alternative), got \(quoted(text))")
        }
        return value
    }
}
