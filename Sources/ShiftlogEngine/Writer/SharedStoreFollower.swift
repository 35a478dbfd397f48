import Logging
import ShiftlogCore
import ShiftlogStore

/// Keeps an engine on a shared store (written by other instances too) up to date: each time
/// the store announces events past the writer's state (a notification), and at least once a
/// poll interval (in case one was lost), the writer folds them, so that reads, effect
/// handlers and the next decisions see every instance's events promptly and not only when an
/// append loses a race. A wake-up by this instance's own append reads nothing.
enum SharedStoreFollower {
    static func run(log: any EventStore, writer: CommandWriter, pollInterval: Duration, logger: Logger) async {
        var lastRead = ContinuousClock.now
        while !Task.isCancelled {
            await log.waitForEvents(after: writer.current.lastSequence, pollInterval: pollInterval)
            guard !Task.isCancelled else { return }
            do {
                let polling = lastRead.duration(to: .now) >= pollInterval
                if try await writer.catchUp(onlyIfAnnounced: !polling) { lastRead = .now }
            } catch {
                // The store is unreachable: try again after the poll interval.
                logger.warning("cannot read the shared log", metadata: ["store": "\(log.location)", "error": "\(error)"])
                try? await Task.sleep(for: pollInterval)
            }
        }
    }
}
