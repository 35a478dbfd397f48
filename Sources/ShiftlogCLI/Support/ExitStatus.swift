import ArgumentParser
import Foundation
import NIOCore
import ShiftlogInspect
import ShiftlogCore
import ShiftlogRuntimes
import ShiftlogStore

/// The exit statuses `shiftlog` uses (BSD `sysexits.h` where one fits).
enum ExitStatus {
    /// A check ran and found a problem (`replay` diverged, `verify` failed).
    static let checkFailed: Int32 = 1
    /// Bad arguments (swift-argument-parser's own).
    static let usage: Int32 = 64
    /// The input is not what it should be: corrupt, truncated, foreign, newer, malformed.
    static let dataError: Int32 = 65
    /// The input does not exist.
    static let noInput: Int32 = 66
    /// A service it needs does not answer (the Docker daemon, the PostgreSQL server), or the
    /// port `serve` is to listen on is taken.
    static let unavailable: Int32 = 69
    /// The output cannot be created (it exists already).
    static let cannotCreate: Int32 = 73
    /// The configuration is unusable: a bad setting in the environment or the settings file, a
    /// settings file that cannot be read, an unusable `DOCKER_HOST`.
    static let configuration: Int32 = 78
}

/// Prints `shiftlog: <message>` on standard error and exits with `status`.
func fail(_ message: String, status: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("shiftlog: \(message)\n".utf8))
    return ExitCode(status)
}

/// Turns the library's typed errors into one line and the matching exit status.
func failure(for error: any Error) -> any Error {
    switch error {
    case let error as StoreError:
        switch error.code {
        case .missing: return fail(error.message, status: ExitStatus.noInput)
        case .unavailable: return fail(error.message, status: ExitStatus.unavailable)
        default: return fail(error.message, status: ExitStatus.dataError)
        }
    case let error as InspectError:
        switch error.code {
        case .notFound: return fail(error.message, status: ExitStatus.noInput)
        case .badInput: return fail(error.message, status: ExitStatus.dataError)
        case .destinationExists: return fail(error.message, status: ExitStatus.cannotCreate)
        default: return fail(error.message, status: ExitStatus.dataError)
        }
    case let error as ListeningPort.Unavailable:
        return fail(error.message, status: ExitStatus.unavailable)
    case let error as IOError where error.errnoCode == EADDRINUSE:
        // Taken between the check at start and the bind.
        return fail("the port is in use (another shiftlog serve?); choose another with --port or PORT", status: ExitStatus.unavailable)
    case let error as OutputFileError:
        return fail(error.message, status: ExitStatus.cannotCreate)
    case let error as SettingError:
        // A bad flag is a usage error; the environment's and the settings file's are the
        // configuration's.
        return fail(error.message, status: error.source == .flag ? ExitStatus.usage : ExitStatus.configuration)
    case let error as DockerError:
        return fail(error.message, status: error.code == .badConfiguration ? ExitStatus.configuration : ExitStatus.unavailable)
    case is ExitCode, is CleanExit, is ValidationError:
        return error
    default:
        return fail("\(error)", status: ExitStatus.dataError)
    }
}

/// Runs `body`, reporting any error as one line with its exit status.
func reporting<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw failure(for: error)
    }
}
