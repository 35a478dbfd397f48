/// A request the console refuses, shown to the person as a page with this status and message
/// (never a 500 for anything they typed).
struct ConsoleError: Error, Sendable {
    var status: Int
    var message: String

    static func badInput(_ message: String) -> ConsoleError { ConsoleError(status: 400, message: message) }
    static func notFound(_ message: String) -> ConsoleError { ConsoleError(status: 404, message: message) }
    static let readOnly = ConsoleError(
        status: 405, message: "This console shows a copy of a log: it offers no action.")
    static let expiredForm = ConsoleError(
        status: 403, message: "This form has expired or did not come from this console: reload the page and try again.")

    /// `text` in quotes for a message, cut at 60 characters.
    static func quoted(_ text: String) -> String {
        "'" + (text.count > 60 ? text.prefix(60) + "…" : text) + "'"
    }
}
