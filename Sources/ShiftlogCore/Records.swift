/// Metrics a worker reports when it completes.
public struct WorkerMetrics: Sendable, Hashable, Codable {
    public var tokensIn: Int?
    public var tokensOut: Int?
    /// Milliseconds the worker spent.
    public var duration: Int?
    public var filesModified: Int?
    public var testsRun: Int?
    public var testsPassed: Int?
    public var testsFailed: Int?
    public var testStatus: String?

    public init(
        tokensIn: Int? = nil, tokensOut: Int? = nil, duration: Int? = nil, filesModified: Int? = nil,
        testsRun: Int? = nil, testsPassed: Int? = nil, testsFailed: Int? = nil, testStatus: String? = nil
    ) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.duration = duration
        self.filesModified = filesModified
        self.testsRun = testsRun
        self.testsPassed = testsPassed
        self.testsFailed = testsFailed
        self.testStatus = testStatus
    }
}

/// The metrics of one worker, as recorded in the per-worker metrics projection.
public struct WorkerMetricsRecord: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var iteration: Int
    public var metrics: WorkerMetrics
    public var recordedAt: Timestamp
}

/// Something a worker learned, to share with later workers.
public struct Learning: Sendable, Hashable, Codable {
    public var content: String
    public var spec: String?

    public init(content: String, spec: String? = nil) {
        self.content = content
        self.spec = spec
    }
}

/// A learning as recorded, with where it came from.
public struct LearningRecord: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var repo: String
    public var learning: Learning
    public var recordedAt: Timestamp
}

/// A code review a worker ran on its pull request.
public struct Review: Sendable, Hashable, Codable {
    public var modelUsed: String?
    public var findings: JSONValue?

    public init(modelUsed: String? = nil, findings: JSONValue? = nil) {
        self.modelUsed = modelUsed
        self.findings = findings
    }
}

/// A review as recorded, with where it came from.
public struct ReviewRecord: Sendable, Hashable, Codable {
    public var workerId: WorkerID
    public var workItemId: WorkItemID
    public var prNumber: Int?
    public var review: Review
    public var recordedAt: Timestamp
}
