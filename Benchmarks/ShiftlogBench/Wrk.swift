import Foundation

/// `wrk` (4.x, on the `PATH`) as the HTTP client, in a process of its own: `connections`
/// connections over `min(connections, 2)` threads for `seconds`, each request a heartbeat of
/// one of `paths` with a body that worker has not been sent before (the service answers a
/// repeated body from its repeat cache, which would flatter the figure). Each wrk thread
/// takes its own share of the workers, so a worker's iterations only grow.
enum Wrk {
    static var isInstalled: Bool { executable != nil }

    private static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { $0 + "/wrk" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func run(
        base: String, paths: [String], connections: Int, seconds: Double
    ) async throws -> (operations: Int, latencies: (p50: Double, p99: Double), seconds: Double) {
        guard let executable else { throw BenchError("wrk is not on the PATH") }
        let threads = min(connections, 2)
        let script = temporaryFolder("wrk") + ".lua"
        try luaScript(paths: paths, threads: threads).write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-t", String(threads), "-c", String(connections), "-d", String(format: "%.0fs", seconds.rounded(.up)),
            "--timeout", "10s", "-s", script, base,
        ]
        let out = Pipe()
        process.standardOutput = out
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        // Read while it runs (so a full pipe never blocks it), off the cooperative pool.
        let text = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            }
        }
        var statuses = exited.stream.makeAsyncIterator()
        let status = await statuses.next()
        guard status == 0 else { throw BenchError("wrk exited \(status.map(String.init) ?? "?"): \(text)") }
        // The script's `done` prints: SHIFTLOG <requests> <µs elapsed> <p50 µs> <p99 µs> <errors> <non-2xx>
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("SHIFTLOG ") }) else {
            throw BenchError("unreadable wrk summary: \(text)")
        }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count == 6 else { throw BenchError("unreadable wrk summary: \(line)") }
        guard fields[4] == 0, fields[5] == 0 else {
            throw BenchError("wrk saw \(Int(fields[4])) socket errors and \(Int(fields[5])) answers other than 2xx")
        }
        return (Int(fields[0]), (fields[2], fields[3]), fields[1] / 1_000_000)
    }

    private static func luaScript(paths: [String], threads: Int) -> String {
        """
        local paths = {\(paths.map { "\"\($0)\"" }.joined(separator: ","))}
        local index = 0
        setup = function(thread)
          thread:set("first", index)
          index = index + 1
        end
        local n = 0
        request = function()
          n = n + 1
          -- This thread's workers are first, first + \(threads), ...; each gets iterations n = 1, 2, ...
          local share = math.floor(#paths / \(threads))
          local path = paths[first + ((n - 1) % share) * \(threads) + 1]
          local iteration = math.floor((n - 1) / share) + 1
          return wrk.format("POST", path, {["Content-Type"] = "application/json"},
            '{"iteration":' .. iteration .. ',"status":"running","tokensIn":1200,"tokensOut":300}')
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("SHIFTLOG %d %d %d %d %d %d\\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
        end
        """
    }
}
