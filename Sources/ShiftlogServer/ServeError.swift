/// Why the service cannot start: a bad setting or an unusable data folder. The message names
/// the variable, flag or file at fault.
public struct ServeError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the variable, flag or file.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
