import ShiftlogCore

/// A learning in whim's shape. Learnings have no id of their own in the log: the id is the
/// worker's id and the learning's place among that worker's learnings (`<worker>-<n>`).
struct LearningView: Encodable, Sendable {
    var id: String
    var repo: String
    @NullWhenAbsent var spec: String?
    var content: String
    /// whim stores an embedding; Shiftlog does not compute one.
    @NullWhenAbsent var embedding: [Double]?
    var createdAt: Timestamp
    var workItemId: WorkItemID

    /// Every learning, newest first, with its id.
    static func all(in state: LifecycleState) -> [LearningView] {
        var seen: [WorkerID: Int] = [:]
        var views: [LearningView] = []
        for record in state.learnings {
            let index = seen[record.workerId, default: 0]
            seen[record.workerId] = index + 1
            views.append(LearningView(
                id: "\(record.workerId)-\(index + 1)", repo: record.repo, spec: record.learning.spec,
                content: record.learning.content, embedding: nil, createdAt: record.recordedAt,
                workItemId: record.workItemId))
        }
        return views.reversed()
    }
}

/// A PR review in whim's shape; its id is the id of the worker that reported it.
struct ReviewView: Encodable, Sendable {
    var id: String
    var workItemId: WorkItemID
    @NullWhenAbsent var prNumber: Int?
    var reviewTimestamp: Timestamp
    @NullWhenAbsent var modelUsed: String?
    @NullWhenAbsent var findings: JSONValue?
    var createdAt: Timestamp
    var updatedAt: Timestamp

    init(_ record: ReviewRecord) {
        id = record.workerId
        workItemId = record.workItemId
        prNumber = record.prNumber
        reviewTimestamp = record.recordedAt
        modelUsed = record.review.modelUsed
        findings = record.review.findings
        createdAt = record.recordedAt
        updatedAt = record.recordedAt
    }

    /// Every review, newest first.
    static func all(in state: LifecycleState) -> [ReviewView] { state.reviews.reversed().map(ReviewView.init) }
}
