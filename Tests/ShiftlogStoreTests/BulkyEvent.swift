@testable import ShiftlogCore

/// An event of about 2 KB (a failure with a long error text), numbered `sequence`, a second
/// apart from 2026-03-01T09:00:00Z: the filler of the tests that fill a disk or a map.
func bulkyEvent(_ sequence: UInt64) -> RecordedEvent {
    RecordedEvent(
        sequence: sequence, time: Timestamp(iso8601: "2026-03-01T09:00:00Z")!.adding(seconds: Int64(sequence)),
        correlationId: "cmd-\(sequence)", causationId: nil,
        event: .workerFailed(WorkerFailed(
            workerId: "worker-\(sequence)", workItemId: "item-\(sequence)",
            error: String(repeating: "x", count: 2_000), iteration: 1, category: nil)))
}
