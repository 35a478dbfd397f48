/// Why the service cannot start: a bad setting or an unusable data folder. The message names
/// the variable, flag or file at fault.
public struct ServeError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
