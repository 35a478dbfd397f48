import Foundation
import ShiftlogStore
import ShiftlogCore
import ShiftlogEngine

/// Prints events as one readable line each, from where it last stopped.
final class Narrator {
    private let engine: Engine
    private var position: UInt64 = 0

    init(engine: Engine) {
        self.engine = engine
    }

    func flush() throws {
        for event in try engine.log.read(after: position, limit: .max) {
            print(String(format: "%4d  ", event.sequence) + Self.describe(event.event))
            position = event.sequence
        }
    }

    static func describe(_ event: Event) -> String {
        switch event {
        case .workItemAdded(let e): "workItemAdded          \(e.workItemId) \(e.type.rawValue) \(e.priority.rawValue) \(e.repo)"
        case .workItemAssigned(let e): "workItemAssigned       \(e.workItemId)"
        case .workItemCancelled(let e): "workItemCancelled      \(e.workItemId)"
        case .workItemRequeued(let e): "workItemRequeued       \(e.workItemId)"
        case .workItemRetryScheduled(let e):
            "workItemRetryScheduled \(e.workItemId) retry \(e.retryCount) at \(e.nextRetryAt?.iso8601 ?? "once")"
        case .workItemFailed(let e): "workItemFailed         \(e.workItemId): \(e.error)"
        case .verificationRecorded(let e): "verificationRecorded   \(e.parentWorkItemId) passed=\(e.passed)"
        case .workerSpawned(let e): "workerSpawned          \(e.workerId) for \(e.workItemId) (\(e.mode.rawValue))"
        case .workerRegistered(let e): "workerRegistered       \(e.workerId) for \(e.workItemId)"
        case .heartbeatRecorded(let e): "heartbeatRecorded      \(e.workerId) iteration \(e.iteration)"
        case .workerCompleted(let e): "workerCompleted        \(e.workerId) \(e.prUrl ?? "")"
        case .workerFailed(let e): "workerFailed           \(e.workerId): \(e.error)"
        case .workerStuck(let e): "workerStuck            \(e.workerId): \(e.reason)"
        case .workerKilled(let e): "workerKilled           \(e.workerId): \(e.reason)"
        case .containerStarted(let e): "containerStarted       \(e.workerId) → \(e.containerId)"
        case .workerSpawnFailed(let e): "workerSpawnFailed      \(e.workerId): \(e.reason)"
        case .containerStopped(let e): "containerStopped       \(e.workerId) (\(e.logTail.count) log lines kept)"
        case .containerStopFailed(let e): "containerStopFailed    \(e.workerId): \(e.reason)"
        case .locksAcquired(let e): "locksAcquired          \(e.workerId) \(e.repo): \(e.paths.joined(separator: ", "))"
        case .locksReleased(let e): "locksReleased          \(e.workerId) \(e.locks.map(\.description).joined(separator: ", "))"
        }
    }
}
