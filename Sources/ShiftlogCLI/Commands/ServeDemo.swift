import Foundation
import Logging
import ServiceLifecycle
import ShiftlogCore
import ShiftlogEngine
import ShiftlogInspect
import ShiftlogStore

/// `shiftlog serve --demo`: queues four items whose sample workers (real processes speaking
/// HTTP to the service) heartbeat, lock files, fail and get retried, go silent and get
/// killed, complete and get verified; prints every event as it is committed; and returns once
/// every item has finished, which shuts the service down; when standard input is a terminal,
/// it keeps serving the console until Ctrl-C instead.
struct DemoStory: Service {
    let engine: Engine
    let path: String
    /// The console's address, to watch the story in a browser.
    let console: String

    /// Rules that let the story play out in seconds rather than hours.
    static func configure(_ configuration: inout EngineConfiguration) {
        configuration.lifecycle.maxWorkers = 3
        configuration.lifecycle.cooldownSeconds = 0
        configuration.lifecycle.staleThresholdSeconds = 3
        configuration.lifecycle.verificationStaleThresholdSeconds = 30
        configuration.lifecycle.retryBackoffSeconds = [1, 2, 4]
        configuration.startDeadlineSeconds = 30
        configuration.stopGraceSeconds = 2
        configuration.instanceName = "shiftlog-demo"
    }

    static let items: [NewWorkItem] = [
        NewWorkItem(
            repo: "acme/web", spec: "# Fix the login form\niterations=4 interval=0.4 lock=src/login.ts,src/form.ts pr=101",
            priority: .high),
        NewWorkItem(repo: "acme/api", spec: "# Speed up search\niterations=2 interval=0.4 lock=src/search.ts outcome=fail-once"),
        NewWorkItem(repo: "acme/db", spec: "# Migrate the schema\niterations=2 interval=0.4 outcome=silent-once"),
        NewWorkItem(repo: "acme/docs", spec: "# Rewrite the README\niterations=3 interval=0.4 lock=README.md", priority: .low),
    ]

    func run() async throws {
        let start = engine.state.lastSequence
        var ids: [WorkItemID] = []
        for item in Self.items { ids.append(try await engine.queue.add(item).id) }
        say("demo: queued \(ids.count) items; the loop spawns their workers (Ctrl-C stops it all); watch at \(console)")
        let story = ids
        var position = try await cancelWhenGracefulShutdown { try await follow(story, from: start) }
        // The last containers' stops, and any other effect still in flight, before the summary.
        try? await engine.settle()
        for record in (try? engine.log.read(after: position, limit: 256)) ?? [] {
            position = record.sequence
            print(record)
        }
        let state = engine.state
        let done = state.workItems.values.filter { $0.status == .completed }.count
        say("""

            demo: every item has finished (\(done) completed) in \(position - start) events.
            Look at what happened, on the log it wrote:
              shiftlog verify   --path \(path)
              shiftlog events   --path \(path) --type workerKilled --type workItemRetryScheduled
              shiftlog timeline --path \(path) --item \(ids[2])
              shiftlog replay   --path \(path)
              mdb_stat -a \(path)
            """)
        // On a terminal the console stays up to be looked at; run by a script (CI), it stops.
        if isatty(STDIN_FILENO) != 0 {
            say("demo: the console stays at \(console) until Ctrl-C")
            try? await gracefulShutdown()
        }
    }

    /// Prints each event after `start` until every item of the story (and its verification)
    /// has finished and no worker is active. Returns the last sequence printed.
    private func follow(_ ids: [WorkItemID], from start: UInt64) async throws -> UInt64 {
        var position = start
        while true {
            for record in try engine.log.read(after: position, limit: 256) {
                position = record.sequence
                print(record)
            }
            let state = engine.state
            let story = state.workItems.values.filter { ids.contains($0.id) || ($0.parentWorkItemId.map(ids.contains) ?? false) }
            if story.allSatisfy(\.isTerminal), state.activeWorkerCount == 0 { return position }
            await engine.log.waitForEvents(after: position, pollInterval: .milliseconds(200))
        }
    }

    /// `  12  09:41:27.300  workerCompleted        <summary>`
    private func print(_ record: RecordedEvent) {
        let number = String(record.sequence)
        let time = record.time.iso8601.dropFirst(11).dropLast(1)
        let type = record.event.type.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
        say(String(repeating: " ", count: max(0, 5 - number.count)) + "\(number)  \(time)  \(type) \(record.event.summary)")
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
