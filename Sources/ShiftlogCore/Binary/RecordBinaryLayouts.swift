// The binary layouts of the values events and projections are made of, each its fields in
// declaration order.

extension JSONValue: BinaryCodable {
    private enum Tag: UInt8 { case null, bool, integer, number, string, array, object }

    public func encode(to w: inout BinaryWriter) {
        switch self {
        case .null: w.writeByte(Tag.null.rawValue)
        case .bool(let value): w.writeByte(Tag.bool.rawValue); w.write(value)
        case .integer(let value): w.writeByte(Tag.integer.rawValue); w.write(value)
        case .number(let value): w.writeByte(Tag.number.rawValue); w.write(value)
        case .string(let value): w.writeByte(Tag.string.rawValue); w.write(value)
        case .array(let value): w.writeByte(Tag.array.rawValue); w.write(value)
        case .object(let value): w.writeByte(Tag.object.rawValue); w.write(value)
        }
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        let byte = try r.readByte()
        switch Tag(rawValue: byte) {
        case .null: self = .null
        case .bool: self = .bool(try r.read())
        case .integer: self = .integer(try r.read())
        case .number: self = .number(try r.read())
        case .string: self = .string(try r.read())
        case .array: self = .array(try r.read())
        case .object: self = .object(try r.read())
        case nil: throw BinaryDecodingError("\(byte) is not a JSON value's tag")
        }
    }
}

extension LockKey: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(repo); w.write(path) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) { self.init(repo: try r.read(), path: try r.read()) }
}

extension FileLock: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(repo); w.write(path); w.write(workerId); w.write(acquiredAt) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(repo: try r.read(), path: try r.read(), workerId: try r.read(), acquiredAt: try r.read())
    }
}

extension WorkerMetrics: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(tokensIn); w.write(tokensOut); w.write(duration); w.write(filesModified); w.write(testsRun)
        w.write(testsPassed); w.write(testsFailed); w.write(testStatus)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            tokensIn: try r.read(), tokensOut: try r.read(), duration: try r.read(), filesModified: try r.read(),
            testsRun: try r.read(), testsPassed: try r.read(), testsFailed: try r.read(), testStatus: try r.read())
    }
}

extension Learning: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(content); w.write(spec) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) { self.init(content: try r.read(), spec: try r.read()) }
}

extension Review: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(modelUsed); w.write(findings) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(modelUsed: try r.read(), findings: try r.read())
    }
}

extension WorkerMetricsRecord: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(iteration); w.write(metrics); w.write(recordedAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), iteration: try r.read(), metrics: try r.read(),
            recordedAt: try r.read())
    }
}

extension LearningRecord: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(repo); w.write(learning); w.write(recordedAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), repo: try r.read(), learning: try r.read(),
            recordedAt: try r.read())
    }
}

extension ReviewRecord: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(workerId); w.write(workItemId); w.write(prNumber); w.write(review); w.write(recordedAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            workerId: try r.read(), workItemId: try r.read(), prNumber: try r.read(), review: try r.read(),
            recordedAt: try r.read())
    }
}

/// Layout 2 (schema version 2 of `configurationRecorded`, snapshot layout 4): the first
/// layout's nine rules, then the cancel grace and the end grace.
/// Three layouts: the first nine rules; the second adds the two graces; the third (this
/// build's) adds the jitter, the non-retryable categories and the two time limits. What an
/// older layout lacks keeps its default.
extension LifecycleConfiguration: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        encodeSecondLayout(to: &w)
        w.write(retryJitterPerMille); w.write(nonRetryableCategories); w.write(attemptTimeoutSeconds); w.write(deadlineSeconds)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        try self.init(secondLayoutFrom: &r)
        retryJitterPerMille = try r.read()
        nonRetryableCategories = try r.read()
        attemptTimeoutSeconds = try r.read()
        deadlineSeconds = try r.read()
    }

    /// The second layout: the first, then the cancel and end graces.
    func encodeSecondLayout(to w: inout BinaryWriter) {
        encodeFirstLayout(to: &w)
        w.write(cancelGraceSeconds); w.write(endGraceSeconds)
    }

    /// Reads the second layout (see ``encodeSecondLayout(to:)``).
    init(secondLayoutFrom r: inout BinaryReader) throws(BinaryDecodingError) {
        try self.init(firstLayoutFrom: &r)
        cancelGraceSeconds = try r.read()
        endGraceSeconds = try r.read()
    }

    /// The first layout: the nine rules recorded before the graces (which keep their defaults).
    func encodeFirstLayout(to w: inout BinaryWriter) {
        w.write(maxWorkers); w.write(cooldownSeconds); w.write(dailyBudget); w.write(staleThresholdSeconds)
        w.write(verificationStaleThresholdSeconds); w.write(maxRetries); w.write(retryBackoffSeconds)
        w.write(verificationMaxRetries); w.write(defaultMaxIterations)
    }

    /// Reads the first layout (see ``encodeFirstLayout(to:)``).
    init(firstLayoutFrom r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init()
        maxWorkers = try r.read()
        cooldownSeconds = try r.read()
        dailyBudget = try r.read()
        staleThresholdSeconds = try r.read()
        verificationStaleThresholdSeconds = try r.read()
        maxRetries = try r.read()
        retryBackoffSeconds = try r.read()
        verificationMaxRetries = try r.read()
        defaultMaxIterations = try r.read()
    }
}

extension Worker: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(id); w.write(workItemId); w.write(status); w.write(mode); w.write(iteration); w.write(lastHeartbeat)
        w.write(startedAt); w.write(completedAt); w.write(containerId); w.write(error)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            id: try r.read(), workItemId: try r.read(), status: try r.read(), mode: try r.read(), iteration: try r.read(),
            lastHeartbeat: try r.read(), startedAt: try r.read(), completedAt: try r.read(), containerId: try r.read(),
            error: try r.read())
    }
}

extension WorkItem: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(id); w.write(repo); w.write(branch); w.write(spec); w.write(description); w.write(type); w.write(priority)
        w.write(status); w.write(workerId); w.write(iteration); w.write(maxIterations); w.write(retryCount)
        w.write(nextRetryAt); w.write(prUrl); w.write(prNumber); w.write(parentWorkItemId); w.write(verificationPassed)
        w.write(source); w.write(sourceRef); w.write(createdAt); w.write(updatedAt); w.write(completedAt); w.write(error)
        w.write(metadata)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(
            id: try r.read(), repo: try r.read(), branch: try r.read(), spec: try r.read(), description: try r.read(),
            type: try r.read(), priority: try r.read(), status: try r.read(), workerId: try r.read(),
            iteration: try r.read(), maxIterations: try r.read(), retryCount: try r.read(), nextRetryAt: try r.read(),
            prUrl: try r.read(), prNumber: try r.read(), parentWorkItemId: try r.read(),
            verificationPassed: try r.read(), source: try r.read(), sourceRef: try r.read(), createdAt: try r.read(),
            updatedAt: try r.read(), completedAt: try r.read(), error: try r.read(), metadata: try r.read())
    }
}

extension RateLimitState: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(lastSpawn); w.write(iterationsByDay) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(lastSpawn: try r.read(), iterationsByDay: try r.read())
    }
}

// In two parts: the counts of snapshot layout 1, and the record sums layout 2 adds at the end.
extension RetiredCounts {
    func encodeFirstLayout(to w: inout BinaryWriter) {
        w.write(workersByStatus); w.write(completedIterations); w.write(itemsByStatus)
    }

    init(firstLayoutFrom r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init()
        workersByStatus = try r.read()
        completedIterations = try r.read()
        itemsByStatus = try r.read()
    }

    func encodeRecordSums(to w: inout BinaryWriter) {
        w.write(metrics); w.write(durations); w.write(durationTotal); w.write(tokensIn); w.write(tokensOut)
        w.write(learnings); w.write(reviews)
    }

    mutating func decodeRecordSums(from r: inout BinaryReader) throws(BinaryDecodingError) {
        metrics = try r.read()
        durations = try r.read()
        durationTotal = try r.read()
        tokensIn = try r.read()
        tokensOut = try r.read()
        learnings = try r.read()
        reviews = try r.read()
    }
}

extension RetryBackoff: BinaryCodable {
    /// A tag (0: schedule, 1: exponential), then the fields.
    public func encode(to w: inout BinaryWriter) {
        switch self {
        case .schedule(let seconds):
            w.writeByte(0); w.write(seconds)
        case .exponential(let initial, let factor, let maximum):
            w.writeByte(1); w.write(initial); w.write(factor); w.write(maximum)
        }
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        switch try r.readByte() {
        case 0: self = .schedule(try r.read())
        case 1: self = .exponential(initialSeconds: try r.read(), factorPerMille: try r.read(), maxSeconds: try r.read())
        case let tag: throw BinaryDecodingError("\(tag) is not a backoff's tag")
        }
    }
}

extension RetryPolicy: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(maxRetries); w.write(backoff); w.write(jitterPerMille); w.write(nonRetryable)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(maxRetries: try r.read(), backoff: try r.read(), jitterPerMille: try r.read(), nonRetryable: try r.read())
    }
}

extension WorkItemPolicy: BinaryCodable {
    public func encode(to w: inout BinaryWriter) { w.write(retry); w.write(attemptTimeoutSeconds); w.write(deadlineSeconds) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        self.init(retry: try r.read(), attemptTimeoutSeconds: try r.read(), deadlineSeconds: try r.read())
    }
}
