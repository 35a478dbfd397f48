import ShiftlogCore

/// What the HTTP driver's acknowledged answers promise is in the log, and the log's index to
/// check them: the service's answers carry no sequence numbers, so each promise is checked by
/// content (an item added, a heartbeat with the driver's unique status, locks acquired, a
/// worker ended the way it asked).
struct ServicePromises {
    private var items: Set<String> = []
    private var heartbeats: Set<String> = []
    private var locks: Set<String> = []
    private var ends: [String: EventType] = [:]

    mutating func index(_ recorded: RecordedEvent) {
        switch recorded.event {
        case .workItemAdded(let e): items.insert(e.workItemId)
        case .heartbeatRecorded(let e): heartbeats.insert(e.workerId + " " + (e.status ?? ""))
        case .locksAcquired(let e): for path in e.paths { locks.insert(e.workerId + " " + e.repo + " " + path) }
        default:
            if let worker = recorded.event.endedWorkerId, ends[worker] == nil { ends[worker] = recorded.type }
        }
    }

    /// Whether the log holds what `entry` (an `http.` ack line) promised.
    func kept(_ entry: AckFile.Entry) -> Bool {
        let fields = entry.fields
        switch (entry.command, fields.count) {
        case ("http.work", 1): return items.contains(fields[0])
        case ("http.heartbeat", 2): return heartbeats.contains(fields[0] + " " + fields[1])
        case ("http.lock", 3):
            return fields[2].split(separator: ",").allSatisfy { locks.contains(fields[0] + " " + fields[1] + " " + $0) }
        case ("http.complete", 1): return ends[fields[0]] == .workerCompleted
        case ("http.fail", 1): return ends[fields[0]] == .workerFailed
        case ("http.stuck", 1): return ends[fields[0]] == .workerStuck
        case ("http.kill", 1): return ends[fields[0]] == .workerKilled
        default: return false
        }
    }
}
