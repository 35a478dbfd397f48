import ArgumentParser
import Foundation
import Logging
import ShiftlogCore
import ShiftlogEngine
import ShiftlogRuntimes
import ShiftlogStore

/// `drive`: opens the engine on the harness folder (workers as real processes) and has many
/// concurrent callers issue the ``Workload``, writing each acknowledged command to this
/// run's ack file, until it is killed (or `--seconds` have passed).
struct Drive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue a realistic mix of commands from many callers, recording every acknowledgement.")

    @Option(help: "The harness folder (created if missing).")
    var path: String

    @Option(help: "Concurrent callers.")
    var callers = 16

    @Option(help: "Seed of the command mix (default: random).")
    var seed: UInt64?

    @Option(help: "Stop by itself after this many seconds, closing the engine (default: run until killed).")
    var seconds: Double?

    func run() async throws {
        let folder = HarnessFolder(path: path)
        try folder.create()
        let acks = try AckFile(path: try folder.nextAckFile())
        var logger = Logger(label: "crash-driver")
        logger.logLevel = .error
        let engine = try Engine.open(
            store: try folder.openStore(logger: logger), runtime: try folder.runtime(), configuration: folder.configuration(),
            logger: logger)
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1_000)) }
        FileHandle.standardError.write(Data("drive: open at #\(engine.state.lastSequence), seed \(seed)\n".utf8))
        let counts = try await withThrowingTaskGroup(of: (acked: Int, refused: Int).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    try await Self.call(engine, acks: acks, seed: seed &+ UInt64(caller), until: deadline)
                }
            }
            return try await group.reduce((acked: 0, refused: 0)) { ($0.acked + $1.acked, $0.refused + $1.refused) }
        }
        await engine.close()
        print("drive: acknowledged=\(counts.acked) refused=\(counts.refused)")
    }

    /// One caller: draws a command, waits for the engine's answer, records an acceptance.
    static func call(
        _ engine: Engine, acks: AckFile, seed: UInt64, until deadline: ContinuousClock.Instant?
    ) async throws -> (acked: Int, refused: Int) {
        var workload = Workload(seed: seed)
        var acked = 0
        var refused = 0
        while deadline.map({ ContinuousClock.now < $0 }) ?? true {
            guard let (name, command) = workload.next(in: engine.state, at: engine.now) else {
                try await Task.sleep(for: .milliseconds(2))  // nothing to act on yet: no spinning
                continue
            }
            let result: CommandResult
            do {
                result = try await engine.execute(command)
            } catch is LifecycleError {
                refused += 1  // refused by the rules: nothing appended, nothing to record
                continue
            }
            let events = result.events.map { "\($0.sequence):\(String(EventDigest.of($0), radix: 16))" }
            let correlation = result.events.first?.correlationId ?? "-"
            try acks.append(([name, correlation] + events).joined(separator: " "))
            acked += 1
        }
        return (acked, refused)
    }
}
