import ArgumentParser
import Foundation
import ShiftlogCore
import ShiftlogInspect
import ShiftlogPostgres
import ShiftlogStore

/// `shiftlog generate`: a large synthetic log.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a large, realistic log for trying the tools and measuring them.",
        discussion: """
            Work items queued, workers spawned with their containers, heartbeating, taking \
            locks, completing (some with verification), failing into backoff, getting stuck, \
            going silent and killed by the health check: every event decided by the real rules. \
            The same --seed gives the same log, byte for byte. Prints events/s.

            Example:
              shiftlog generate --path /tmp/big --events 1000000
              shiftlog generate --path 'postgres://postgres@127.0.0.1:5432/postgres?schema=big' --events 100000
            """)

    @Option(name: .long, help: "The new database folder, or a postgres:// URL of a schema that holds no log.")
    var path: String

    @Option(name: .long, help: "About how many events to write.")
    var events: UInt64 = 1_000_000

    @Option(name: .long, help: "Seed of the pseudo-random choices.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Workers running at once.")
    var concurrency = 32

    @Option(name: .long, help: "A projection snapshot every this many events (0: none).")
    var snapshotInterval: UInt64 = 100_000

    func validate() throws {
        try checkOption(events, in: 1...10_000_000_000, "--events")
        try checkOption(concurrency, in: ShiftlogSettings.maxWorkers.range, "--concurrency")
        try checkOption(snapshotInterval, in: 0...10_000_000_000, "--snapshot-interval")
    }

    func run() async throws {
        try await reporting {
            let destination = try StoreLocation(path)
            if case .folder(let path) = destination, FileManager.default.fileExists(atPath: path + "/data.mdb") {
                throw InspectError(.destinationExists, "\(path) already holds a log; generate into a new folder")
            }
            var generator = LogGenerator(events: events)
            generator.seed = seed
            generator.concurrency = concurrency
            generator.snapshotInterval = snapshotInterval
            let log: any EventStore = switch destination {
            case .folder(let path): try LMDBEventLog(path: path)
            case .postgres(let location): try PostgresEventLog(location, logger: StoreLocation.quiet)
            }
            defer { log.close() }
            let bar = ProgressBar(total: events, label: "generate")
            let started = ContinuousClock.now
            try generator.write(to: log) { bar.update($0) }
            bar.finish()
            let seconds = (ContinuousClock.now - started).seconds
            let written = try log.lastSequence()
            print("wrote \(written) events to \(destination.description) in \(String(format: "%.2f", seconds)) s (\(ProgressBar.rate(Double(written) / seconds)) events/s)")
        }
    }
}
