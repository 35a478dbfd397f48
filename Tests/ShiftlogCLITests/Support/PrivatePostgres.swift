import Foundation

/// A PostgreSQL server of a test's own (`scripts/postgres-server`), for tests that stop and
/// start it (pause, resume) without taking the database from any other test.
struct PrivatePostgres {
    static let script = ShiftlogBinary.root.appendingPathComponent("scripts/postgres-server").path

    /// Where the server keeps its files.
    let folder: String
    /// `postgres://…` for the log in `schema`.
    let url: String

    /// Starts a server in a new folder, with the log's URL naming `schema`.
    static func start(schema: String) async throws -> PrivatePostgres {
        let folder = NSTemporaryDirectory() + "shiftlog-pg-\(UUID().uuidString.prefix(8))"
        let started = try await ShiftlogBinary.runTool(script, ["start", folder])
        guard let line = started.split(separator: "\n").first(where: { $0.hasPrefix("export SHIFTLOG_POSTGRES_URL=") }) else {
            _ = try? await ShiftlogBinary.runTool(script, ["stop", folder])
            throw E2EFailure("scripts/postgres-server printed no URL: \(started)")
        }
        return PrivatePostgres(folder: folder, url: line.dropFirst("export SHIFTLOG_POSTGRES_URL=".count) + "?schema=\(schema)")
    }

    /// Runs `body` with a server of its own (see ``start(schema:)``), and stops the server
    /// after it, whether it threw or not.
    static func with<T>(schema: String, _ body: (PrivatePostgres) async throws -> T) async throws -> T {
        let postgres = try await start(schema: schema)
        do {
            let result = try await body(postgres)
            await postgres.stop()
            return result
        } catch {
            await postgres.stop()
            throw error
        }
    }

    /// Stops answering (SIGSTOP), as a database that is away does.
    func pause() async throws { _ = try await ShiftlogBinary.runTool(Self.script, ["pause", folder]) }
    /// Answers again.
    func resume() async throws { _ = try await ShiftlogBinary.runTool(Self.script, ["resume", folder]) }
    /// Stops the server and removes its files.
    func stop() async { _ = try? await ShiftlogBinary.runTool(Self.script, ["stop", folder]) }
}
