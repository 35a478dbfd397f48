import Logging
import ShiftlogCore
import ShiftlogStore

/// Keeps an engine on a shared store (written by other instances too) up to date: each time
/// the store announces events past the writer's state (a notification, or the poll interval
/// at the latest), the writer folds them, so that reads, effect handlers and the next
/// decisions see every instance's events promptly and not only when an append loses a race.
enum SharedStoreFollower {
    static func run(log: any EventStore, writer: CommandWriter, pollInterval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            await log.waitForEvents(after: writer.current.lastSequence, pollInterval: pollInterval)
            guard !Task.isCancelled else { return }
            do {
                try await writer.catchUp()
            } catch {
                // The store is unreachable: try again after the poll interval.
                logger.warning("cannot read the shared log", metadata: ["store": "\(log.location)", "error": "\(error)"])
                try? await Task.sleep(for: pollInterval)
            }
        }
    }
}
