import Foundation
@testable import ShiftlogCore
import Testing

/// Metrics, learnings and reviews leave the projections like finished workers do (metrics
/// and reviews after ``LifecycleState/retention``, learnings beyond
/// ``LifecycleState/learningCapacity``), the stats keep counting them, and a snapshot plus
/// the tail still equals a full fold.
@Suite struct BoundedRecordsTests {
    /// `days` days of work: every hour a worker completes with metrics, two learnings and a
    /// review.
    func history(days: Int) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        func add(_ event: Event, at time: Timestamp) {
            events.append(RecordedEvent(
                sequence: UInt64(events.count + 1), time: time, correlationId: "c\(events.count)", causationId: nil,
                event: event))
        }
        for hour in 0..<(days * 24) {
            let time = Given.t0.adding(seconds: Int64(hour) * 3_600)
            let item = "item-\(hour)", worker = "worker-\(hour)"
            add(.workItemAdded(.item(item)), at: time)
            add(.spawned(worker, for: item), at: time)
            add(.heartbeat(worker, for: item, iteration: hour % 7 + 1), at: time)
            add(.workerCompleted(.init(
                workerId: worker, workItemId: item, prUrl: nil, prNumber: hour, verificationPassed: nil,
                metrics: WorkerMetrics(tokensIn: 1_000 + hour, tokensOut: 300, duration: 60_000 + hour * 10),
                learnings: [Learning(content: "a \(hour)"), Learning(content: "b \(hour)")],
                review: Review(modelUsed: "m", findings: .array([])))), at: time.adding(seconds: 60))
        }
        return events
    }

    @Test func theRecordsStayBoundedAcrossALongLog() {
        var state = LifecycleState()
        var largest = (metrics: 0, learnings: 0, reviews: 0)
        for event in history(days: 60) {
            state.apply(event)
            largest = (
                max(largest.metrics, state.metrics.count), max(largest.learnings, state.learnings.count),
                max(largest.reviews, state.reviews.count))
        }
        // Seven days of hourly completions, plus the hour being folded.
        #expect(largest.metrics <= 7 * 24 + 1 && largest.reviews <= 7 * 24 + 1)
        #expect(largest.learnings == LifecycleState.learningCapacity)
        #expect(state.retired.metrics + state.metrics.count == 60 * 24)
        #expect(state.retired.reviews + state.reviews.count == 60 * 24)
        #expect(state.retired.learnings + state.learnings.count == 2 * 60 * 24)
        #expect(state.learnings.last?.learning.content == "b \(60 * 24 - 1)")
    }

    @Test func theStatsStillCoverEveryRecordedMetric() {
        var state = LifecycleState()
        for event in history(days: 30) { state.apply(event) }
        let hours = 0..<(30 * 24)
        let meanDuration = Double(hours.reduce(0) { $0 + 60_000 + $1 * 10 }) / Double(hours.count)
        #expect(state.metrics.count < hours.count)
        #expect(state.workerStats.avgDuration == meanDuration)
        #expect(state.tokenTotals.tokensIn == hours.reduce(0) { $0 + 1_000 + $1 })
        #expect(state.tokenTotals.tokensOut == 300 * hours.count)
    }

    @Test(arguments: [1, 500, 2_000, 2_881])
    func aSnapshotAndTheTailEqualAFullFold(at cut: Int) throws {
        let events = history(days: 30)
        var full = LifecycleState()
        for event in events { full.apply(event) }
        var head = LifecycleState()
        for event in events.prefix(cut) { head.apply(event) }
        for snapshot in [ProjectionSnapshotCodec.encode(head), Array(try CanonicalJSON.compactEncoder().encode(head))] {
            var resumed = try ProjectionSnapshotCodec.decode(snapshot)
            for event in events.dropFirst(cut) { resumed.apply(event) }
            #expect(resumed == full)
            #expect(ProjectionSnapshotCodec.encode(resumed) == ProjectionSnapshotCodec.encode(full))
        }
    }

    @Test func aCopyHandedToAReaderIsNotDisturbedByLaterRecords() {
        var state = LifecycleState()
        for event in history(days: 2) { state.apply(event) }
        let reader = state
        for event in history(days: 3).dropFirst(2 * 24 * 4) { state.apply(event) }
        #expect(reader.metrics.count == 48 && state.metrics.count == 72)
        #expect(Array(reader.metrics) == Array(state.metrics.prefix(48)))
    }
}
