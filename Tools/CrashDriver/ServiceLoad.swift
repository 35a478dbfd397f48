import ShiftlogCore

/// The HTTP driver's mix, as ``Workload`` is the engine driver's: mostly worker heartbeats,
/// then locks, work added (some with a repeated `Idempotency-Key`), and enough ends (complete,
/// fail, stuck, kill) to keep the loop spawning. A worker ends no sooner than
/// ``Workload/minimumLifetimeMilliseconds`` after the driver first saw it.
struct ServiceLoad {
    private var random: SplitMix
    /// Makes each heartbeat's status unique, so the check can find that very heartbeat.
    private let tag: String
    private var count = 0

    init(seed: UInt64, tag: String) {
        random = SplitMix(seed: seed)
        self.tag = tag
    }

    private static let weighted: [(String, Int)] = [
        ("heartbeat", 40), ("lock", 10), ("unlock", 4), ("work", 4), ("workRepeated", 1),
        ("complete", 4), ("fail", 3), ("stuck", 1), ("kill", 2),
    ]
    private static let total = weighted.reduce(0) { $0 + $1.1 }
    private static let repo = "acme/web"

    /// Makes one call; returns the ack line when the service acknowledged something checkable.
    mutating func step(_ call: ServiceCall, _ workers: KnownWorkers) async throws -> String? {
        var draw = Int(random.next() % UInt64(Self.total))
        var kind = Self.weighted[0].0
        for (name, weight) in Self.weighted {
            if draw < weight { kind = name; break }
            draw -= weight
        }
        count += 1
        if kind == "work" || kind == "workRepeated" {
            let key = kind == "workRepeated" ? [("Idempotency-Key", "key-\(random.next() % 20)")] : []
            let body: JSONValue = .object(["repo": .string(Self.repo), "spec": .string("# Fix issue \(random.next() % 10_000)")])
            let (status, answer) = try await call.post(call.base + "/api/work", body, headers: key)
            guard status == 201, case .object(let added)? = answer, case .string(let id)? = added["id"] else { return nil }
            return "http.work \(id)"
        }
        guard let worker = workers.pick(using: &random) else {
            try await Task.sleep(for: .milliseconds(5))  // no worker yet: the loop spawns them
            return nil
        }
        let ending = ["complete", "fail", "stuck", "kill"].contains(kind)
        if ending, ContinuousClock.now - worker.firstSeen < .milliseconds(Workload.minimumLifetimeMilliseconds) { return nil }
        let route = worker.url + "/api/worker/" + worker.id + "/"
        let files = (0..<(1 + Int(random.next() % 3))).map { _ in "src/file\(random.next() % 40).swift" }
        let line: String
        let status: UInt
        var answer: JSONValue?
        switch kind {
        case "heartbeat":
            let token = "hb-\(tag)-\(count)"
            (status, answer) = try await call.post(route + "heartbeat", .object(["iteration": .integer(Int64(worker.iteration)), "status": .string(token)]))
            line = "http.heartbeat \(worker.id) \(token)"
        case "lock", "unlock":
            let body: JSONValue = .object(["repo": .string(Self.repo), "files": .array(files.map(JSONValue.string))])
            (status, answer) = try await call.post(route + kind, body)
            guard kind == "lock", status == 200, case .object(let result)? = answer, result["acquired"] == .bool(true) else {
                if status == 404 || status == 409 { workers.forget(worker.id) }
                return nil
            }
            line = "http.lock \(worker.id) \(Self.repo) \(Set(files).sorted().joined(separator: ","))"
        case "complete":
            let number = Int64(random.next() % 1_000)
            (status, answer) = try await call.post(route + "complete", .object(["prUrl": .string("https://github.com/\(Self.repo)/pull/\(number)"), "prNumber": .integer(number)]))
            line = "http.complete \(worker.id)"
        case "fail":
            (status, answer) = try await call.post(route + "fail", .object(["error": .string("tests failed"), "iteration": .integer(Int64(worker.iteration))]))
            line = "http.fail \(worker.id)"
        case "stuck":
            (status, answer) = try await call.post(route + "stuck", .object(["reason": .string("cannot resolve a conflict"), "attempts": .integer(3)]))
            line = "http.stuck \(worker.id)"
        default:
            (status, answer) = try await call.post(call.base + "/api/workers/\(worker.id)/kill", .object(["reason": .string("operator stop")]))
            line = "http.kill \(worker.id)"
        }
        if ending || status == 404 || status == 409 { workers.forget(worker.id) }
        return status == 200 ? line : nil
    }
}
