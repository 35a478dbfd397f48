/// A failure of the harness itself (not a finding about the log): bad arguments, files.
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
