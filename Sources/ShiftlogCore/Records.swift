/// Metrics a worker reports when it completes.
public struct WorkerMetrics: Sendable, Hashable, Codable {
    /// Tokens read over the whole work.
    public var tokensIn: Int?
    /// Tokens written over the whole work.
    public var tokensOut: Int?
    /// Milliseconds the worker spent.
    public var duration: Int?
    /// Files the worker changed.
    public var filesModified: Int?
    /// Tests run.
    public var testsRun: Int?
    /// Tests that passed.
    public var testsPassed: Int?
    /// Tests that failed.
    public var testsFailed: Int?
    /// The worker's own word on the tests' outcome, free-form.
    public var testStatus: String?

    /// Metrics with the given fields, all optional. Counts must lie within ``NumericBounds``.
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
    /// The worker that reported them.
    public var workerId: WorkerID
    /// The item it completed.
    public var workItemId: WorkItemID
    /// The iteration the worker had reached when it completed.
    public var iteration: Int
    /// The metrics as reported.
    public var metrics: WorkerMetrics
    /// The time of the completion; the record leaves the projections
    /// ``LifecycleState/retention`` after it.
    public var recordedAt: Timestamp
}

/// Something a worker learned, to share with later workers.
public struct Learning: Sendable, Hashable, Codable {
    /// What was learned, as text.
    public var content: String
    /// The spec of the work it was learned on, if the worker gave it.
    public var spec: String?

    /// A learning of `content`.
    public init(content: String, spec: String? = nil) {
        self.content = content
        self.spec = spec
    }
}

/// A learning as recorded, with where it came from.
public struct LearningRecord: Sendable, Hashable, Codable {
    /// The worker that learned it.
    public var workerId: WorkerID
    /// The item it completed.
    public var workItemId: WorkItemID
    /// The item's repository.
    public var repo: String
    /// The learning as reported.
    public var learning: Learning
    /// The time of the completion.
    public var recordedAt: Timestamp
}

/// A code review a worker ran on its pull request.
public struct Review: Sendable, Hashable, Codable {
    /// The model that ran the review, if the worker said.
    public var modelUsed: String?
    /// The review's findings, in whatever JSON shape the worker gives.
    public var findings: JSONValue?

    /// A review with the given fields, both optional.
    public init(modelUsed: String? = nil, findings: JSONValue? = nil) {
        self.modelUsed = modelUsed
        self.findings = findings
    }
}

/// A review as recorded, with where it came from.
public struct ReviewRecord: Sendable, Hashable, Codable {
    /// The worker that ran the review.
    public var workerId: WorkerID
    /// The item it completed.
    public var workItemId: WorkItemID
    /// The pull request reviewed: the completion's number, else the item's.
    public var prNumber: Int?
    /// The review as reported.
    public var review: Review
    /// The time of the completion; the record leaves the projections
    /// ``LifecycleState/retention`` after it.
    public var recordedAt: Timestamp
}
