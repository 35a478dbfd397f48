import Foundation

/// The peer: whim's heartbeat on PostgreSQL 15 under pgbench, run by `Benchmarks/postgres-peer`
/// (which starts and stops a private server).
enum PostgresPeer {
    static func run(clients: Int, seconds: Double, script: String) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = [String(clients), String(Int(seconds.rounded(.up)))]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(script) \(clients) exited \(process.terminationStatus)")
        }
        // "tps=4446.01 latency_ms=14.395"
        var fields: [String: Double] = [:]
        for pair in text.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=")
            if parts.count == 2 { fields[String(parts[0])] = Double(parts[1]) }
        }
        guard let tps = fields["tps"] else { throw BenchError("unreadable pgbench summary: \(text)") }
        return Measurement(
            name: "PostgreSQL 15 heartbeat, \(clients) client\(clients == 1 ? "" : "s")", operations: Int(tps * seconds),
            seconds: seconds, note: "pgbench: SELECT then conditional UPDATE, autocommit; mean latency \(fields["latency_ms"] ?? 0) ms")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
