import Foundation

extension ShiftlogBinary {
    /// Runs another program of the project (a script) to its end; its standard output followed
    /// by its standard error. Fails with its output when it exits non-zero.
    static func runTool(_ executable: String, _ arguments: [String]) async throws -> String {
        let ending = try await ChildRun.ending(executable, arguments)
        let output = ending.output + ending.error
        guard ending.status == 0, !ending.signalled else {
            throw E2EFailure("\(executable) \(arguments.joined(separator: " ")) exited \(ending.status): \(output)")
        }
        return output
    }
}
