import ArgumentParser
import Foundation
import NIOHTTP1
import ShiftlogCore

/// `shiftlog worker`: a sample worker that speaks to `shiftlog serve` (or whim's orchestrator)
/// exactly as whim's workers do, for the demo and the end-to-end tests. What it does is read
/// from `key=value` words in its item's spec.
struct SampleWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the sample worker: it calls the orchestrator back as whim's workers do.",
        discussion: """
            Reads ORCHESTRATOR_URL, WORKER_ID and WORK_ITEM (the item as JSON) like whim's \
            workers, calls GET /api/learnings, then heartbeats, locks files and ends as its \
            item's spec says, with words anywhere in the spec:

              iterations=N        heartbeats to send (default 3), one each interval
              interval=SECONDS    between heartbeats (default 1)
              lock=a.swift,b.swift  files to lock at the first iteration
              outcome=complete    complete (default); fail; fail-once (fail on the first
                                  attempt, complete on the retry); stuck; silent (stop
                                  heartbeating and wait to be killed); silent-once
                                  (silent on the first attempt, complete on the retry)
              pr=N                the pull request number it reports on completion
              verify=pass|fail    a verification worker's verdict (default pass)
              hold=PATH           at iteration hold-at (default 1), keep heartbeating that
              hold-at=N           same iteration each interval until the file PATH exists
                                  (a test's gate: the run waits there for it)
              after=PATH          once its completion is answered, wait linger seconds
              linger=SECONDS      (default 1), then write PATH and exit

            When a heartbeat's or lock's answer says its item is being cancelled ("cancel"), \
            it reports the end with fail ("cancelled: <reason>") and exits 0 at once.

            With WORKER_MODE=verification it never heartbeats (as whim's verification workers),
            and completes with its verdict. It exits 0 on SIGTERM. A call answered 5xx, or not
            answered, is tried again with backoff (100 ms doubling to 5 s) for up to a minute; a
            4xx ends the worker.
            """)

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["ORCHESTRATOR_URL"], let workerId = environment["WORKER_ID"],
            let itemText = environment["WORK_ITEM"],
            case .object(let item)? = try? JSONDecoder().decode(JSONValue.self, from: Data(itemText.utf8))
        else {
            throw ValidationError("the sample worker needs ORCHESTRATOR_URL, WORKER_ID and WORK_ITEM in its environment")
        }
        let plan = SamplePlan(spec: item["spec"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "")
        let retryCount = item["retryCount"].flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } } ?? 0
        let repo = item["repo"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
        let client = OrchestratorClient(orchestratorURL: url) { route, failure, wait in
            say("\(route): \(failure.status.map { "HTTP \($0)" } ?? "no answer"); trying again in \(wait)")
        }
        let worker = "/api/worker/\(workerId)"
        say("worker \(workerId) started: \(plan)")
        do {
            try await work(plan: plan, client: client, worker: worker, workerId: workerId, repo: repo, retryCount: retryCount)
        } catch let cancel as CancelReceived {
            say("cancel received at iteration \(cancel.iteration)\(cancel.reason.map { ": \($0)" } ?? ""); ending")
            let failure: [String: JSONValue] = [
                "error": .string("cancelled" + (cancel.reason.map { ": \($0)" } ?? "")), "iteration": .integer(Int64(cancel.iteration)),
            ]
            try await client.call(.POST, worker + "/fail", failure)
            say("ended for the cancel")
        }
    }

    /// The answer to a heartbeat or lock said the item is being cancelled.
    struct CancelReceived: Error {
        var reason: String?
        var iteration: Int
    }

    /// Throws ``CancelReceived`` when `answer` carries a cancel.
    private func checkCancel(_ answer: JSONValue, iteration: Int) throws {
        guard case .object(let fields) = answer, case .object(let cancel)? = fields["cancel"] else { return }
        let reason: String? = if case .string(let text)? = cancel["reason"] { text } else { nil }
        throw CancelReceived(reason: reason, iteration: iteration)
    }

    private func work(
        plan: SamplePlan, client: OrchestratorClient, worker: String, workerId: String, repo: String, retryCount: Int
    ) async throws {

        if ProcessInfo.processInfo.environment["WORKER_MODE"] == "verification" {
            let verdict: [String: JSONValue] = ["verificationPassed": .bool(plan.verdictPasses)]
            try await client.call(.POST, worker + "/complete", verdict)
            say("verification reported: \(plan.verdictPasses ? "passed" : "failed")")
            return
        }
        let query = repo.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? repo
        try await client.call(.GET, "/api/learnings?repo=\(query)")
        for iteration in 1...max(plan.iterations, 1) {
            let beat: [String: JSONValue] = [
                "iteration": .integer(Int64(iteration)), "status": .string("running"),
                "tokensIn": .integer(Int64(100 * iteration)), "tokensOut": .integer(Int64(40 * iteration)),
            ]
            try checkCancel(try await client.call(.POST, worker + "/heartbeat", beat), iteration: iteration)
            say("iteration \(iteration)")
            if iteration == 1, !plan.locks.isEmpty {
                let request: [String: JSONValue] = ["repo": .string(repo), "files": .array(plan.locks.map(JSONValue.string))]
                let answer = try await client.call(.POST, worker + "/lock", request)
                say("lock \(plan.locks.joined(separator: ", ")): \(answer)")
                try checkCancel(answer, iteration: iteration)
            }
            try await Task.sleep(for: .milliseconds(Int(plan.interval * 1_000)))
            if iteration == plan.holdAt, let gate = plan.hold {
                if !FileManager.default.fileExists(atPath: gate) { say("holding at iteration \(iteration) until \(gate) exists") }
                while !FileManager.default.fileExists(atPath: gate) {
                    try checkCancel(try await client.call(.POST, worker + "/heartbeat", beat), iteration: iteration)
                    try await Task.sleep(for: .milliseconds(Int(plan.interval * 1_000)))
                }
            }
        }
        var outcome = plan.outcome
        if outcome.hasSuffix("-once") { outcome = retryCount == 0 ? String(outcome.dropLast(5)) : "complete" }
        switch outcome {
        case "fail":
            let failure: [String: JSONValue] = [
                "error": .string("sample failure on attempt \(retryCount + 1)"),
                "iteration": .integer(Int64(plan.iterations)), "category": .string("EXECUTION_ERROR"),
            ]
            try await client.call(.POST, worker + "/fail", failure)
            say("failed")
        case "stuck":
            let stuck: [String: JSONValue] = ["reason": .string("sample stuck"), "attempts": .integer(3)]
            try await client.call(.POST, worker + "/stuck", stuck)
            say("stuck")
        case "silent":
            say("going silent")
            while true { try await Task.sleep(for: .seconds(3_600)) }
        default:
            let iterations = Int64(plan.iterations)
            let metrics: [String: JSONValue] = [
                "tokensIn": .integer(100 * iterations), "tokensOut": .integer(40 * iterations),
                "duration": .integer(Int64(plan.interval * 1_000) * iterations),
                "filesModified": .integer(Int64(plan.locks.count)),
                "testsRun": .integer(0), "testsPassed": .integer(0), "testsFailed": .integer(0),
            ]
            let learning: [String: JSONValue] = [
                "content": .string("sample learning from \(workerId)"), "spec": .string(String(plan.summary)),
            ]
            var body: [String: JSONValue] = ["metrics": .object(metrics), "learnings": .array([.object(learning)])]
            if let pr = plan.pr {
                body["prUrl"] = .string("https://github.com/\(repo)/pull/\(pr)")
                body["prNumber"] = .integer(Int64(pr))
                body["verificationEnabled"] = .bool(true)
            }
            try await client.call(.POST, worker + "/complete", body)
            say("completed")
            if let after = plan.after {
                // Left to exit by itself (END_GRACE_SECONDS), it can still finish its work.
                try await Task.sleep(for: .milliseconds(Int(plan.linger * 1_000)))
                try Data("written after the completion's answer\n".utf8).write(to: URL(fileURLWithPath: after))
                say("wrote \(after)")
            }
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so a worker stopped by SIGTERM
/// loses nothing of what it said: its last lines are what the orchestrator captures.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// What the sample worker was asked to do, read from `key=value` words in its spec.
struct SamplePlan: CustomStringConvertible {
    var iterations = 3
    var interval = 1.0
    var locks: [String] = []
    var outcome = "complete"
    var pr: Int?
    var verdictPasses = true
    /// A file whose existence lets the worker go on past iteration `holdAt`.
    var hold: String?
    var holdAt = 1
    /// A file written `linger` seconds after the completion is answered.
    var after: String?
    var linger = 1.0
    var summary: Substring

    init(spec: String) {
        summary = spec.prefix(60)
        for word in spec.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = String(parts[1])
            switch parts[0] {
            case "iterations": iterations = min(max(Int(value) ?? iterations, 1), 10_000)
            case "interval": interval = min(max(Double(value) ?? interval, 0), 3_600)
            case "lock": locks = value.split(separator: ",").map(String.init)
            case "outcome": outcome = value
            case "pr": pr = Int(value)
            case "verify": verdictPasses = value != "fail"
            case "hold": hold = value
            case "hold-at": holdAt = min(max(Int(value) ?? holdAt, 1), 10_000)
            case "after": after = value
            case "linger": linger = min(max(Double(value) ?? linger, 0), 3_600)
            default: continue
            }
        }
    }

    var description: String {
        "\(iterations) iterations every \(interval) s, locks \(locks), outcome \(outcome)" + (pr.map { ", PR #\($0)" } ?? "")
            + (hold.map { ", held at iteration \(holdAt) until \($0) exists" } ?? "")
    }
}
