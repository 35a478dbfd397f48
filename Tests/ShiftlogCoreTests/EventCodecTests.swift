import Foundation
import PropertyBased
@testable import ShiftlogCore
import Testing

/// The binary layouts against the JSON form: every event type, with every optional set and
/// with none, round-trips through both to the same value; damaged bytes are errors.
@Suite struct EventCodecTests {
    static let t = Timestamp(iso8601: "2026-03-01T09:00:00.250Z")!
    static let metadata: [String: JSONValue] = [
        "labels": .array([.string("bug"), .string("ü/😀")]), "weight": .number(-0.5), "count": .integer(.min),
        "nested": .object(["ok": .bool(true), "none": .null]),
    ]
    static let metrics = WorkerMetrics(
        tokensIn: 1, tokensOut: .max, duration: -3, filesModified: 0, testsRun: 9, testsPassed: 8, testsFailed: 1,
        testStatus: "partial")

    /// Every event type, every field set (strings with escapes, extremes of integers).
    static let full: [Event] = [
        .workItemAdded(WorkItemAdded(
            workItemId: "item-1", repo: "acme/web", branch: "fix\t\"quoted\"", spec: "Line 1\nLine 2 \\ é",
            description: "", type: .verification, priority: .critical, maxIterations: 20, parentWorkItemId: "item-0",
            prNumber: 42, source: "github", sourceRef: "acme/web#7", metadata: metadata)),
        .workItemAssigned(WorkItemAssigned(workItemId: "item-1")),
        .workItemCancelled(WorkItemCancelled(workItemId: "item-1")),
        .workItemRequeued(WorkItemRequeued(workItemId: "item-1")),
        .workItemRetryScheduled(WorkItemRetryScheduled(
            workItemId: "item-1", workerId: "worker-1", retryCount: 2, nextRetryAt: t.adding(seconds: 300), error: "boom")),
        .workItemFailed(WorkItemFailed(workItemId: "item-1", workerId: "worker-1", retryCount: 3, error: "gave up")),
        .verificationRecorded(VerificationRecorded(parentWorkItemId: "item-0", verificationWorkItemId: "item-1", passed: true)),
        .workerSpawned(WorkerSpawned(workerId: "worker-1", workItemId: "item-1", mode: .verification)),
        .workerRegistered(WorkerRegistered(workerId: "worker-1", workItemId: "item-1", created: true)),
        .heartbeatRecorded(HeartbeatRecorded(
            workerId: "worker-1", workItemId: "item-1", iteration: .max, status: "thinking", tokensIn: 0, tokensOut: -1)),
        .workerCompleted(WorkerCompleted(
            workerId: "worker-1", workItemId: "item-1", prUrl: "https://github.com/acme/web/pull/9", prNumber: 9,
            verificationPassed: false, metrics: metrics, learnings: [Learning(content: "use the cache", spec: "spec"), Learning(content: "x")],
            review: Review(modelUsed: "m", findings: .object(["issues": .array([.integer(1), .null])])))),
        .workerFailed(WorkerFailed(workerId: "worker-1", workItemId: "item-1", error: "tests failed", iteration: 4, category: .timeout)),
        .workerStuck(WorkerStuck(workerId: "worker-1", workItemId: "item-1", reason: "loop", attempts: 3)),
        .workerKilled(WorkerKilled(workerId: "worker-1", workItemId: "item-1", reason: "stale")),
        .containerStarted(ContainerStarted(workerId: "worker-1", workItemId: "item-1", containerId: "c0ffee", environment: ["A", "B"])),
        .workerSpawnFailed(WorkerSpawnFailed(workerId: "worker-1", workItemId: "item-1", reason: "no image")),
        .containerStopped(ContainerStopped(
            workerId: "worker-1", workItemId: "item-1", containerId: "c0ffee", found: true, exitCode: 143, logTail: ["a", "", "c"])),
        .containerStopFailed(ContainerStopFailed(workerId: "worker-1", workItemId: "item-1", reason: "daemon down")),
        .workerLost(WorkerLost(workerId: "worker-1", workItemId: "item-1", containerId: "c0ffee", reason: "gone")),
        .orphanContainerRemoved(OrphanContainerRemoved(
            containerName: "worker-9", containerId: "dead", labelledWorkerId: "worker-9", labelledWorkItemId: "item-9", exitCode: 0)),
        .effectAbandoned(EffectAbandoned(handler: "containers", sequence: 42, attempts: 8, error: "daemon down")),
        .locksAcquired(LocksAcquired(workerId: "worker-1", repo: "acme/web", paths: ["src/a.ts", "src/b.ts"])),
        .locksReleased(LocksReleased(workerId: "worker-1", locks: [LockKey(repo: "acme/web", path: "src/a.ts")])),
        .configurationRecorded(ConfigurationRecorded(lifecycle: {
            var c = LifecycleConfiguration()
            c.maxWorkers = 7
            c.retryBackoffSeconds = [1, 2, 3, 4]
            return c
        }())),
        .accessRefused(AccessRefused(
            route: "POST /api/worker/{id}/complete", targetWorkerId: "worker-1", presentedWorkerId: "worker-2",
            reason: "another worker's credential")),
        .leaderElected(LeaderElected(instance: "orchestrator-2:4242", term: 7)),
    ]

    /// The types with optional or collection fields, with those empty.
    static let sparse: [Event] = [
        .workItemAdded(WorkItemAdded(
            workItemId: "item-2", repo: "r", branch: nil, spec: nil, description: nil, type: .execution, priority: .low,
            maxIterations: 0, parentWorkItemId: nil, prNumber: nil, source: nil, sourceRef: nil, metadata: [:])),
        .workItemRetryScheduled(WorkItemRetryScheduled(workItemId: "i", workerId: "w", retryCount: 0, nextRetryAt: nil, error: "")),
        .heartbeatRecorded(HeartbeatRecorded(workerId: "w", workItemId: "i", iteration: 0, status: nil, tokensIn: nil, tokensOut: nil)),
        .workerCompleted(WorkerCompleted(
            workerId: "w", workItemId: "i", prUrl: nil, prNumber: nil, verificationPassed: nil, metrics: nil, learnings: [],
            review: nil)),
        .workerFailed(WorkerFailed(workerId: "w", workItemId: "i", error: "e", iteration: 0, category: nil)),
        .containerStarted(ContainerStarted(workerId: "w", workItemId: "i", containerId: "c", environment: nil)),
        .containerStopped(ContainerStopped(workerId: "w", workItemId: "i", containerId: nil, found: false, exitCode: nil, logTail: [])),
        .workerLost(WorkerLost(workerId: "w", workItemId: "i", containerId: nil, reason: "r")),
        .orphanContainerRemoved(OrphanContainerRemoved(
            containerName: "n", containerId: "c", labelledWorkerId: nil, labelledWorkItemId: nil, exitCode: nil)),
        .accessRefused(AccessRefused(route: "GET /api/status", targetWorkerId: nil, presentedWorkerId: nil, reason: "")),
    ]

    @Test func everyEventTypeHasASample() {
        #expect(Set(Self.full.map(\.type)) == Set(EventType.allCases))
    }

    @Test(arguments: full + sparse)
    func roundTripsInBothEncodings(_ event: Event) throws {
        for encoding in PayloadEncoding.allCases {
            let payload = try EventCodec.encodePayload(event, as: encoding)
            let decoded = try EventCodec.decodePayload(typeName: event.type.rawValue, schemaVersion: 1, payload: payload, as: encoding)
            #expect(decoded == event, "\(encoding)")
        }
    }

    @Test(arguments: PayloadEncoding.allCases)
    func aNewerSchemaVersionOrAnUnknownTypeIsRefusedByName(_ encoding: PayloadEncoding) throws {
        let payload = try EventCodec.encodePayload(Self.full[11], as: encoding)
        #expect(try EventCodec.decodePayload(typeName: "workerFailed", schemaVersion: 1, payload: payload, as: encoding) == Self.full[11])
        #expect(throws: EventDecodingError(message: "workerFailed has schema version 2; this build reads 1...1")) {
            try EventCodec.decodePayload(typeName: "workerFailed", schemaVersion: 2, payload: payload, as: encoding)
        }
        #expect(throws: EventDecodingError(message: "unknown event type 'nope'")) {
            try EventCodec.decodePayload(typeName: "nope", schemaVersion: 1, payload: payload, as: encoding)
        }
    }

    /// Every shorter prefix of a payload is an error, and no flipped byte crashes the decoder.
    @Test(arguments: full)
    func damagedBinaryPayloadsAreErrors(_ event: Event) throws {
        let payload = EventCodec.binaryPayload(event)
        for length in 0..<payload.count {
            #expect(throws: EventDecodingError.self) {
                try EventCodec.decodePayload(typeName: event.type.rawValue, schemaVersion: 1, payload: Array(payload[..<length]), as: .binary)
            }
        }
        #expect(throws: EventDecodingError.self, "a trailing byte") {
            try EventCodec.decodePayload(typeName: event.type.rawValue, schemaVersion: 1, payload: payload + [0], as: .binary)
        }
        for index in payload.indices {
            var flipped = payload
            flipped[index] ^= 0xFF
            _ = try? EventCodec.decodePayload(typeName: event.type.rawValue, schemaVersion: 1, payload: flipped, as: .binary)
        }
    }

    static let text = Gen.int(in: 0...12).map { ["a", "é", "😀", "\"", "\\", "\n", "/", " ", "0", "\u{0}", "Z", "-", "ß"][$0] }
        .array(of: 0...16).map { $0.joined() }

    @Test func randomStringsAndIntegersRoundTrip() async {
        await propertyCheck(count: 300, input: zip(Self.text, Self.text, Gen.int(in: Int.min...Int.max), Self.text.optional)) {
            worker, item, number, status in
            let events: [Event] = [
                .heartbeatRecorded(HeartbeatRecorded(
                    workerId: worker, workItemId: item, iteration: number, status: status, tokensIn: number, tokensOut: nil)),
                .workItemAdded(WorkItemAdded(
                    workItemId: item, repo: worker, branch: status, spec: worker + item, description: nil, type: .execution,
                    priority: .high, maxIterations: number, parentWorkItemId: nil, prNumber: number, source: status,
                    sourceRef: nil, metadata: ["w" + worker: .string(item), "i" + item: .integer(Int64(number))])),
            ]
            for event in events {
                let binary = EventCodec.binaryPayload(event)
                #expect(try! EventCodec.decodePayload(typeName: event.type.rawValue, schemaVersion: 1, payload: binary, as: .binary) == event)
            }
        }
    }

    @Test func theSnapshotRoundTripsAndReadsTheJSONOfEarlierBuilds() throws {
        var state = LifecycleState()
        for (index, event) in Self.full.enumerated() {
            state.apply(RecordedEvent(
                sequence: UInt64(index + 1), time: Self.t.adding(seconds: Int64(index)), correlationId: "cmd-\(index)",
                causationId: nil, event: event))
        }
        state.apply(RecordedEvent(sequence: 24, time: Self.t, correlationId: "cmd-24", causationId: nil, event: Self.sparse[0]))
        state.apply(RecordedEvent(
            sequence: 25, time: Self.t, correlationId: "cmd-25", causationId: nil,
            event: .locksAcquired(LocksAcquired(workerId: "worker-1", repo: "acme/api", paths: ["x"]))))
        #expect(!state.workItems.isEmpty && !state.workers.isEmpty && !state.allLocks.isEmpty && !state.metrics.isEmpty)

        let bytes = ProjectionSnapshotCodec.encode(state)
        #expect(try ProjectionSnapshotCodec.decode(bytes) == state)
        #expect(ProjectionSnapshotCodec.encode(try ProjectionSnapshotCodec.decode(bytes)) == bytes, "equal states, equal bytes")
        #expect(try ProjectionSnapshotCodec.decode(Array(CanonicalJSON.compactEncoder().encode(state))) == state)
        for length in [0, 3, 4, bytes.count / 2, bytes.count - 1] {
            #expect(throws: (any Error).self) { try ProjectionSnapshotCodec.decode(Array(bytes[..<length])) }
        }
    }
}

extension Event: CustomTestStringConvertible {
    public var testDescription: String { type.rawValue }
}
