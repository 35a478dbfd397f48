import Foundation
import Synchronization

/// The workers the HTTP driver can act for: those whose process wrote its start (with the
/// credentialed `ORCHESTRATOR_URL` it was given) and that the service has not said are over.
final class KnownWorkers: Sendable {
    struct Worker: Sendable {
        var id: String
        var url: String
        var firstSeen: ContinuousClock.Instant
        var iteration = 0
    }

    private let starts: String
    private let state = Mutex<(workers: [String: Worker], over: Set<String>)>(([:], []))

    /// `over`: workers already ended when the driver started (from `GET /api/workers`).
    init(starts: String, over: Set<String>) {
        self.starts = starts
        state.withLock { $0.over = over }
    }

    /// Reads the starts file again for workers that began since.
    func refresh() {
        let text = (try? String(contentsOfFile: starts, encoding: .utf8)) ?? ""
        let now = ContinuousClock.now
        state.withLock { state in
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count == 3 else { continue }
                let id = String(fields[0])
                if state.over.contains(id) || state.workers[id] != nil { continue }
                state.workers[id] = Worker(id: id, url: String(fields[2]), firstSeen: now)
            }
        }
    }

    /// A worker to act for, with its next iteration; `nil` when none is known.
    func pick(using random: inout SplitMix) -> Worker? {
        state.withLock { state in
            guard !state.workers.isEmpty else { return nil }
            let keys = Array(state.workers.keys)
            let id = keys[Int(random.next() % UInt64(keys.count))]
            state.workers[id]!.iteration += 1
            return state.workers[id]
        }
    }

    /// The service answered that this worker is over (or it was just ended).
    func forget(_ id: String) {
        state.withLock { state in
            state.workers[id] = nil
            state.over.insert(id)
        }
    }
}
