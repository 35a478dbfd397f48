import Foundation
import ShiftlogCore
import ShiftlogEngine
import Synchronization

/// Wraps a runtime and times its starts and its stops (stop, logs and removal together, as
/// the container handler does them), for the demo's report of what a real runtime costs.
final class TimedRuntime: ContainerRuntime {
    let base: any ContainerRuntime
    private let timings = Mutex<(starts: [Duration], stops: [Duration])>(([], []))
    private let stopping = Mutex<[String: ContinuousClock.Instant]>([:])

    init(_ base: any ContainerRuntime) {
        self.base = base
    }

    func start(_ spec: ContainerSpec) async throws -> ContainerHandle {
        let started = ContinuousClock.now
        let handle = try await base.start(spec)
        let elapsed = ContinuousClock.now - started
        timings.withLock { $0.starts.append(elapsed) }
        return handle
    }

    func stop(name: String, grace: Duration) async throws -> ContainerExit? {
        stopping.withLock { $0[name] = ContinuousClock.now }
        return try await base.stop(name: name, grace: grace)
    }

    func logs(name: String, lines: Int) async throws -> [String]? {
        try await base.logs(name: name, lines: lines)
    }

    func remove(name: String) async throws -> Bool {
        let removed = try await base.remove(name: name)
        if let began = stopping.withLock({ $0.removeValue(forKey: name) }) {
            let elapsed = ContinuousClock.now - began
            timings.withLock { $0.stops.append(elapsed) }
        }
        return removed
    }

    func list(instance: String) async throws -> [ContainerHandle] {
        try await base.list(instance: instance)
    }

    /// "4 starts, median 182 ms (max 240 ms); 4 stops, …".
    var report: String {
        let (starts, stops) = timings.withLock { $0 }
        return "\(Self.describe(starts, "start")); \(Self.describe(stops, "stop+logs+remove"))"
    }

    private static func describe(_ samples: [Duration], _ what: String) -> String {
        guard !samples.isEmpty else { return "no \(what)" }
        let sorted = samples.sorted()
        let ms = { (d: Duration) in String(format: "%.0f ms", d.seconds * 1_000) }
        return "\(samples.count) × \(what): median \(ms(sorted[sorted.count / 2])), max \(ms(sorted.last!))"
    }
}
