import Foundation
import ShiftlogCore
import ShiftlogEngine
import Synchronization

/// A fresh folder, a fixed clock and readable ids, for the effect tests.
struct EngineFixture {
    let folder = NSTemporaryDirectory() + "shiftlog-effects-\(UUID().uuidString)"
    let clock = ManualTimeSource(Timestamp(iso8601: "2026-03-01T09:00:00Z")!)
    let ids = SequentialIDs()
    let sleeps = SleepRecorder()

    /// Room for many workers at once, and a retry policy whose waits are recorded, not slept.
    func configuration(maxAttempts: Int = 8) -> EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.lifecycle.maxWorkers = 50
        configuration.lifecycle.cooldownSeconds = 0
        configuration.reconcileInterval = nil
        configuration.effectRetry.maxAttempts = maxAttempts
        configuration.effectRetry.sleep = { [sleeps] in try sleeps.record($0) }
        return configuration
    }

    func removeFolder() { try? FileManager.default.removeItem(atPath: folder) }
}

/// Stands in for `Task.sleep` in a retry policy: keeps each wait it is asked for, and returns
/// at once (throwing when the task is cancelled, as the real one does).
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])

    var recorded: [Duration] { waits.withLock { $0 } }

    func record(_ duration: Duration) throws {
        waits.withLock { $0.append(duration) }
        try Task.checkCancellation()
    }
}
