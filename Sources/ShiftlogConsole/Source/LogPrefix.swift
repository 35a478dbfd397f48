import ShiftlogCore
import ShiftlogStore

/// A log read only up to one sequence: what a page `?at=` that point reads, so that the
/// timelines and event lists it draws stop where the log stood then.
struct LogPrefix: EventLog {
    let base: any EventLog
    let through: UInt64

    func append(_ batch: AppendBatch) throws {
        throw ConsoleError.readOnly
    }

    func read(after sequence: UInt64, limit: Int) throws -> [RecordedEvent] {
        guard sequence < through else { return [] }
        return try base.read(after: sequence, limit: Int(min(UInt64(limit), through - sequence)))
            .filter { $0.sequence <= through }
    }

    func lastSequence() throws -> UInt64 { min(try base.lastSequence(), through) }

    func waitForEvents(after sequence: UInt64, pollInterval: Duration) async {
        await base.waitForEvents(after: sequence, pollInterval: pollInterval)
    }
}
