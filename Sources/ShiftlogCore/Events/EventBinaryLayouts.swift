// The binary layout of each event payload, in the schema version `EventType.schemaVersion`
// gives (1, except where a layout says otherwise): its fields in declaration order. Changing
// a layout means a new schema version of that type, with the old layout still read (see DESIGN.md, "Log format"). `EventCodecTests` round-trips every
// type and checks the binary and JSON forms decode to the same event.

/// Schema version 2: the fields of version 1, then the item's policy.
extension WorkItemAdded: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workItemId); w.write(repo); w.write(branch); w.write(spec); w.write(description); w.write(type)
        w.write(priority); w.write(maxIterations); w.write(parentWorkItemId); w.write(prNumber); w.write(source)
        w.write(sourceRef); w.write(metadata); w.write(policy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        try self.init(firstLayoutFrom: &r)
        policy = try r.read()
    }

    /// Reads schema version 1: every field but the policy.
    init(firstLayoutFrom r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workItemId: try r.read(), repo: try r.read(), branch: try r.read(), spec: try r.read(),
            description: try r.read(), type: try r.read(), priority: try r.read(), maxIterations: try r.read(),
            parentWorkItemId: try r.read(), prNumber: try r.read(), source: try r.read(), sourceRef: try r.read(),
            metadata: try r.read())
    }
}

extension WorkItemRetriedNow: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId); w.write(previousStatus); w.write(requestedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workItemId: try r.read(), previousStatus: try r.read(), requestedBy: try r.read())
    }
}

extension WorkItemPriorityChanged: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workItemId); w.write(priority); w.write(previousPriority); w.write(requestedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workItemId: try r.read(), priority: try r.read(), previousPriority: try r.read(), requestedBy: try r.read())
    }
}

extension WorkItemDeadlinePassed: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId); w.write(workerId); w.write(deadlineSeconds) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workItemId: try r.read(), workerId: try r.read(), deadlineSeconds: try r.read())
    }
}

extension WorkItemAssigned: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) { self.init(workItemId: try r.read()) }
}

/// Schema version 2: the item, its worker, the reason. Version 1 held the item alone.
extension WorkItemCancelled: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId); w.write(workerId); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workItemId: try r.read(), workerId: try r.read(), reason: try r.read())
    }

    /// Reads schema version 1: the item alone (no worker, no reason).
    init(firstLayoutFrom r: inout BinaryReader) throws(BinaryDecodingError) { self.init(workItemId: try r.read()) }
}

extension CancelRequested: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId); w.write(workerId); w.write(reason); w.write(graceSeconds) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workItemId: try r.read(), workerId: try r.read(), reason: try r.read(), graceSeconds: try r.read())
    }
}

extension CancelGraceExpired: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(graceSeconds) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), graceSeconds: try r.read())
    }
}

extension EndGraceElapsed: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(graceSeconds) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), graceSeconds: try r.read())
    }
}

extension ContainerExited: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(containerId); w.write(exitCode); w.write(logTail)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), containerId: try r.read(), exitCode: try r.read(),
            logTail: try r.read())
    }
}

extension WorkItemRequeued: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) { self.init(workItemId: try r.read()) }
}

extension WorkItemRetryScheduled: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workItemId); w.write(workerId); w.write(retryCount); w.write(nextRetryAt); w.write(error)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workItemId: try r.read(), workerId: try r.read(), retryCount: try r.read(), nextRetryAt: try r.read(),
            error: try r.read())
    }
}

extension WorkItemFailed: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workItemId); w.write(workerId); w.write(retryCount); w.write(error) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workItemId: try r.read(), workerId: try r.read(), retryCount: try r.read(), error: try r.read())
    }
}

extension VerificationRecorded: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(parentWorkItemId); w.write(verificationWorkItemId); w.write(passed) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(parentWorkItemId: try r.read(), verificationWorkItemId: try r.read(), passed: try r.read())
    }
}

extension WorkerSpawned: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(mode) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), mode: try r.read())
    }
}

extension WorkerRegistered: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(created) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), created: try r.read())
    }
}

extension HeartbeatRecorded: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(iteration); w.write(status); w.write(tokensIn); w.write(tokensOut)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), iteration: try r.read(), status: try r.read(),
            tokensIn: try r.read(), tokensOut: try r.read())
    }
}

extension WorkerCompleted: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(prUrl); w.write(prNumber); w.write(verificationPassed)
        w.write(metrics); w.write(learnings); w.write(review)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), prUrl: try r.read(), prNumber: try r.read(),
            verificationPassed: try r.read(), metrics: try r.read(), learnings: try r.read(), review: try r.read())
    }
}

extension WorkerFailed: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(error); w.write(iteration); w.write(category)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), error: try r.read(), iteration: try r.read(),
            category: try r.read())
    }
}

extension WorkerStuck: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(reason); w.write(attempts) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), reason: try r.read(), attempts: try r.read())
    }
}

extension WorkerKilled: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), reason: try r.read())
    }
}

extension ContainerStarted: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(containerId); w.write(environment) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), containerId: try r.read(), environment: try r.read())
    }
}

extension WorkerSpawnFailed: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), reason: try r.read())
    }
}

extension ContainerStopped: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(containerId); w.write(found); w.write(exitCode); w.write(logTail)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), containerId: try r.read(), found: try r.read(),
            exitCode: try r.read(), logTail: try r.read())
    }
}

extension ContainerStopFailed: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), reason: try r.read())
    }
}

extension WorkerLost: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(workItemId); w.write(containerId); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), workItemId: try r.read(), containerId: try r.read(), reason: try r.read())
    }
}

extension OrphanContainerRemoved: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(containerName); w.write(containerId); w.write(labelledWorkerId); w.write(labelledWorkItemId); w.write(exitCode)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            containerName: try r.read(), containerId: try r.read(), labelledWorkerId: try r.read(),
            labelledWorkItemId: try r.read(), exitCode: try r.read())
    }
}

extension AccessRefused: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(route); w.write(targetWorkerId); w.write(presentedWorkerId); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(route: try r.read(), targetWorkerId: try r.read(), presentedWorkerId: try r.read(), reason: try r.read())
    }
}

extension LeaderElected: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(instance); w.write(term) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(instance: try r.read(), term: try r.read())
    }
}

extension Leadership: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(instance); w.write(term); w.write(since) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(instance: try r.read(), term: try r.read(), since: try r.read())
    }
}

extension EffectAbandoned: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(handler); w.write(sequence); w.write(attempts); w.write(error) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(handler: try r.read(), sequence: try r.read(), attempts: try r.read(), error: try r.read())
    }
}

extension LocksAcquired: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(repo); w.write(paths) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), repo: try r.read(), paths: try r.read())
    }
}

extension LocksReleased: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(workerId); w.write(locks) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(workerId: try r.read(), locks: try r.read())
    }
}

/// Schema version 3: the rules in their third layout (with the jitter, the non-retryable
/// categories and the time limits); version 2 holds the second
/// (``LifecycleConfiguration/init(secondLayoutFrom:)``), version 1 the first nine.
extension ConfigurationRecorded: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(lifecycle) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) { self.init(lifecycle: try r.read()) }
}
