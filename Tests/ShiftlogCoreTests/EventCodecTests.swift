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
            prNumber: 42, source: "github", sourceRef: "acme/web#7", metadata: metadata,
            policy: WorkItemPolicy(
                retry: RetryPolicy(
                    maxRetries: 1_000, backoff: .exponential(initialSeconds: 0, factorPerMille: 1_500, maxSeconds: 604_800),
                    jitterPerMille: 1_000, nonRetryable: [.validationError, .unknown]),
                attemptTimeoutSeconds: 1, deadlineSeconds: 2_592_000))),
        .workItemAssigned(WorkItemAssigned(workItemId: "item-1")),
        .workItemRetriedNow(WorkItemRetriedNow(workItemId: "item-1", previousStatus: .cancelled, requestedBy: "alice «é»")),
        .workItemPriorityChanged(WorkItemPriorityChanged(
            workItemId: "item-1", priority: .critical, previousPriority: .low, requestedBy: "console")),
        .workItemDeadlinePassed(WorkItemDeadlinePassed(workItemId: "item-1", workerId: "worker-1", deadlineSeconds: 3_600)),
        .workItemCancelled(WorkItemCancelled(workItemId: "item-1", workerId: "worker-1", reason: "wrong repo: «é»")),
        .cancelRequested(CancelRequested(workItemId: "item-1", workerId: "worker-1", reason: "changed plans", graceSeconds: 30)),
        .cancelGraceExpired(CancelGraceExpired(workerId: "worker-1", workItemId: "item-1", graceSeconds: 315_360_000)),
        .endGraceElapsed(EndGraceElapsed(workerId: "worker-1", workItemId: "item-1", graceSeconds: 0)),
        .containerExited(ContainerExited(workerId: "worker-1", workItemId: "item-1", containerId: "c0ffee", exitCode: -15, logTail: ["bye", ""])),
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
            c.cancelGraceSeconds = 5
            c.endGraceSeconds = 0
            c.retryJitterPerMille = 250
            c.nonRetryableCategories = [.validationError]
            c.attemptTimeoutSeconds = 600
            c.deadlineSeconds = 86_400
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
        .workItemCancelled(WorkItemCancelled(workItemId: "i")),
        .cancelRequested(CancelRequested(workItemId: "i", workerId: "w", reason: nil, graceSeconds: 0)),
        .containerExited(ContainerExited(workerId: "w", workItemId: "i", containerId: nil, exitCode: nil, logTail: [])),
        .workItemDeadlinePassed(WorkItemDeadlinePassed(workItemId: "i", workerId: nil, deadlineSeconds: 1)),
        .workItemAdded(WorkItemAdded(
            workItemId: "item-3", repo: "r", branch: nil, spec: nil, description: nil, type: .execution, priority: .low,
            maxIterations: 1, parentWorkItemId: nil, prNumber: nil, source: nil, sourceRef: nil, metadata: [:],
            policy: WorkItemPolicy(retry: RetryPolicy(backoff: .schedule([]), nonRetryable: [])))),
    ]

    @Test func everyEventTypeHasASample() {
        #expect(Set(Self.full.map(\.type)) == Set(EventType.allCases))
    }

    @Test(arguments: full + sparse)
    func roundTripsInBothEncodings(_ event: Event) throws {
        for encoding in PayloadEncoding.allCases {
            let payload = try EventCodec.encodePayload(event, as: encoding)
            let decoded = try EventCodec.decodePayload(typeName: event.type.rawValue, schemaVersion: event.type.schemaVersion, payload: payload, as: encoding)
            #expect(decoded == event, "\(encoding)")
        }
    }

    @Test(arguments: PayloadEncoding.allCases)
    func aNewerSchemaVersionOrAnUnknownTypeIsRefusedByName(_ encoding: PayloadEncoding) throws {
        let failed = try #require(Self.full.first { $0.type == .workerFailed })
        let payload = try EventCodec.encodePayload(failed, as: encoding)
        #expect(try EventCodec.decodePayload(typeName: "workerFailed", schemaVersion: 1, payload: payload, as: encoding) == failed)
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
                try EventCodec.decodePayload(
                    typeName: event.type.rawValue, schemaVersion: event.type.schemaVersion, payload: Array(payload[..<length]), as: .binary)
            }
        }
        #expect(throws: EventDecodingError.self, "a trailing byte") {
            try EventCodec.decodePayload(
                typeName: event.type.rawValue, schemaVersion: event.type.schemaVersion, payload: payload + [0], as: .binary)
        }
        for index in payload.indices {
            var flipped = payload
            flipped[index] ^= 0xFF
            _ = try? EventCodec.decodePayload(
                typeName: event.type.rawValue, schemaVersion: event.type.schemaVersion, payload: flipped, as: .binary)
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
                #expect(try! EventCodec.decodePayload(
                    typeName: event.type.rawValue, schemaVersion: event.type.schemaVersion, payload: binary, as: .binary) == event)
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
        let more: [Event] = [
            Self.sparse[0],
            .locksAcquired(LocksAcquired(workerId: "worker-1", repo: "acme/api", paths: ["x"])),
            // A running item's cancel under way, and an end left to exit.
            .workerSpawned(WorkerSpawned(workerId: "worker-3", workItemId: "item-2", mode: .execution)),
            .cancelRequested(CancelRequested(workItemId: "item-2", workerId: "worker-3", reason: "no", graceSeconds: 30)),
            .workerSpawned(WorkerSpawned(workerId: "worker-4", workItemId: "item-1", mode: .execution)),
            .workerCompleted(WorkerCompleted(
                workerId: "worker-4", workItemId: "item-1", prUrl: nil, prNumber: nil, verificationPassed: nil, metrics: nil,
                learnings: [], review: nil)),
        ]
        for event in more {
            state.apply(RecordedEvent(
                sequence: state.lastSequence + 1, time: Self.t, correlationId: "cmd-\(state.lastSequence + 1)", causationId: nil,
                event: event))
        }
        #expect(!state.workItems.isEmpty && !state.workers.isEmpty && !state.allLocks.isEmpty && !state.metrics.isEmpty)
        #expect(state.cancelRequests.keys.sorted() == ["worker-3"] && state.awaitingExit.keys.sorted() == ["worker-4"])
        #expect(state.policies.keys.sorted() == ["item-1"] && state.deadlineStarts.keys.sorted() == ["item-1"])

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

/// Records written before a layout changed still read: the first layout of `workItemCancelled`
/// (the item alone) and of `configurationRecorded` (nine rules, no graces), in both encodings.
@Suite struct EarlierSchemaVersionTests {
    @Test func aVersionOneCancelReadsWithoutWorkerOrReason() throws {
        var w = BinaryWriter()
        w.write("item-7")
        let binary = try EventCodec.decodePayload(typeName: "workItemCancelled", schemaVersion: 1, payload: w.bytes, as: .binary)
        #expect(binary == .workItemCancelled(WorkItemCancelled(workItemId: "item-7")))
        let json = try EventCodec.decodePayload(
            typeName: "workItemCancelled", schemaVersion: 1, payload: Array(#"{"workItemId":"item-7"}"#.utf8), as: .json)
        #expect(json == binary)
        // Version 2's layout read as version 1 leaves bytes over: an error, not a misreading.
        let two = EventCodec.binaryPayload(.workItemCancelled(WorkItemCancelled(workItemId: "item-7", reason: "r")))
        #expect(throws: EventDecodingError.self) {
            try EventCodec.decodePayload(typeName: "workItemCancelled", schemaVersion: 1, payload: two, as: .binary)
        }
    }

    @Test func aVersionOneConfigurationReadsWithTheDefaultGraces() throws {
        var rules = LifecycleConfiguration()
        rules.maxWorkers = 9
        rules.defaultMaxIterations = 20  // as the JSON below, written by a build whose default was 20
        var w = BinaryWriter()
        rules.encodeFirstLayout(to: &w)
        let binary = try EventCodec.decodePayload(typeName: "configurationRecorded", schemaVersion: 1, payload: w.bytes, as: .binary)
        #expect(binary == .configurationRecorded(ConfigurationRecorded(lifecycle: rules)))
        guard case .configurationRecorded(let read) = binary else { return }
        #expect(read.lifecycle.cancelGraceSeconds == 30 && read.lifecycle.endGraceSeconds == 30)
        let oldJSON = #"{"lifecycle":{"cooldownSeconds":60,"dailyBudget":200,"defaultMaxIterations":20,"maxRetries":3,"maxWorkers":9,"#
            + #""retryBackoffSeconds":[60,300,1800],"staleThresholdSeconds":300,"verificationMaxRetries":3,"#
            + #""verificationStaleThresholdSeconds":1800}}"#
        let json = try EventCodec.decodePayload(typeName: "configurationRecorded", schemaVersion: 1, payload: Array(oldJSON.utf8), as: .json)
        #expect(json == binary)
    }

    @Test func theTypesThatChangedWriteTheirNewestVersion() {
        #expect(EventType.allCases.filter { $0.schemaVersion == 2 } == [.workItemAdded, .workItemCancelled])
        #expect(EventType.allCases.filter { $0.schemaVersion == 3 } == [.configurationRecorded])
        #expect(EventType.allCases.allSatisfy { (1...3).contains($0.schemaVersion) })
    }

    @Test func aVersionOneAddReadsWithoutAPolicy() throws {
        let added = WorkItemAdded(
            workItemId: "item-7", repo: "acme/web", branch: nil, spec: "s", description: nil, type: .execution, priority: .high,
            maxIterations: 5, parentWorkItemId: nil, prNumber: nil, source: nil, sourceRef: nil, metadata: ["k": .bool(true)])
        var w = BinaryWriter()
        w.write(added.workItemId); w.write(added.repo); w.write(added.branch); w.write(added.spec); w.write(added.description)
        w.write(added.type); w.write(added.priority); w.write(added.maxIterations); w.write(added.parentWorkItemId)
        w.write(added.prNumber); w.write(added.source); w.write(added.sourceRef); w.write(added.metadata)
        let binary = try EventCodec.decodePayload(typeName: "workItemAdded", schemaVersion: 1, payload: w.bytes, as: .binary)
        #expect(binary == .workItemAdded(added))
        let json = #"{"workItemId":"item-7","repo":"acme/web","spec":"s","type":"execution","priority":"high","maxIterations":5,"metadata":{"k":true}}"#
        #expect(try EventCodec.decodePayload(typeName: "workItemAdded", schemaVersion: 1, payload: Array(json.utf8), as: .json) == binary)
    }

    @Test func aVersionTwoConfigurationReadsWithTheDefaultTimeLimitsAndJitter() throws {
        var rules = LifecycleConfiguration()
        rules.maxWorkers = 4
        rules.cancelGraceSeconds = 12
        var w = BinaryWriter()
        rules.encodeSecondLayout(to: &w)
        let binary = try EventCodec.decodePayload(typeName: "configurationRecorded", schemaVersion: 2, payload: w.bytes, as: .binary)
        #expect(binary == .configurationRecorded(ConfigurationRecorded(lifecycle: rules)))
        guard case .configurationRecorded(let read) = binary else { return }
        #expect(read.lifecycle.retryJitterPerMille == 0 && read.lifecycle.nonRetryableCategories.isEmpty)
        #expect(read.lifecycle.attemptTimeoutSeconds == 0 && read.lifecycle.deadlineSeconds == 0)
    }
}

