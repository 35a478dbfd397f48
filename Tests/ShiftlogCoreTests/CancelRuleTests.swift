@testable import ShiftlogCore
import Testing

/// Issue 18 §1: a cancel ends a waiting item at once and asks a running item's worker to end,
/// with one rule for each race. Given these events, when this command, then exactly these
/// events or this refusal.
@Suite struct CancelRuleTests {
    static let added = Event.workItemAdded(.item("item-1"))
    /// item-1 running on worker-1 (spawned, its container started), holding a lock.
    static let running: [Event] = [
        added, .spawned("worker-1", for: "item-1"),
        .containerStarted(.init(workerId: "worker-1", workItemId: "item-1", containerId: "c1", environment: nil)),
        .locksAcquired(.init(workerId: "worker-1", repo: "acme/web", paths: ["a.swift"])),
    ]
    static let request = Event.cancelRequested(.init(workItemId: "item-1", workerId: "worker-1", reason: "wrong repo", graceSeconds: 30))
    static let released = Event.locksReleased(.init(workerId: "worker-1", locks: [LockKey(repo: "acme/web", path: "a.swift")]))
    static let cancelled = Event.workItemCancelled(.init(workItemId: "item-1", workerId: "worker-1", reason: "wrong repo"))

    // MARK: Waiting items

    @Test(arguments: [[added], [added, .workItemAssigned(.init(workItemId: "item-1"))]])
    func aQueuedOrAssignedItemIsCancelledAtOnce(_ events: [Event]) throws {
        #expect(try Given(events).when(.cancelWorkItem("item-1", reason: "  not needed ")).get()
            == [.workItemCancelled(.init(workItemId: "item-1", reason: "not needed"))])
        #expect(try Given(events).when(.cancelWorkItem("item-1", reason: " ")).get() == [.workItemCancelled(.init(workItemId: "item-1"))])
    }

    @Test func aCancelledItemRecordsItsReasonAndIsNeverHandedOutAgain() throws {
        let state = try Given([Self.added]).after(.cancelWorkItem("item-1", reason: "not needed"))
        let item = try #require(state.workItems["item-1"])
        #expect(item.status == .cancelled && item.error == "cancelled: not needed" && item.isTerminal)
        #expect(state.nextReadyItem(at: Given.t0.adding(seconds: 60)) == nil)
    }

    // MARK: Running items

    @Test func aRunningItemsWorkerIsAskedToEndWithTheConfiguredGrace() throws {
        var rules = LifecycleConfiguration()
        rules.cancelGraceSeconds = 5
        #expect(try Given(Self.running).when(.cancelWorkItem("item-1", reason: "wrong repo"), configuration: rules).get()
            == [.cancelRequested(.init(workItemId: "item-1", workerId: "worker-1", reason: "wrong repo", graceSeconds: 5))])
    }

    @Test func theRequestIsKeptForTheWorkerAndTheItemStaysInProgress() throws {
        let given = Given(Self.running + [Self.request])
        let request = try #require(given.state.cancelRequests["worker-1"])
        #expect(request == CancelRequest(reason: "wrong repo", requestedAt: given.time, graceSeconds: 30))
        #expect(request.stopDueAt == given.time.adding(seconds: 30))
        #expect(given.state.workItems["item-1"]?.status == .inProgress)
        #expect(given.state.workers["worker-1"]?.status.isActive == true)
        // A heartbeat during the grace is accepted and keeps the request.
        let after = try given.after(.heartbeat(workerId: "worker-1", Heartbeat(iteration: 2)))
        #expect(after.cancelRequests["worker-1"] == request)
    }

    @Test func aSecondCancelAppendsNothing() throws {
        #expect(try Given(Self.running + [Self.request]).when(.cancelWorkItem("item-1", reason: "other")).get() == [])
        #expect(try Given([Self.added, .workItemCancelled(.init(workItemId: "item-1"))]).when(.cancelWorkItem("item-1")).get() == [])
    }

    // MARK: Races during the grace

    @Test func aCompletionBeforeTheStopIsKept() throws {
        let given = Given(Self.running + [Self.request])
        #expect(try given.when(.complete(workerId: "worker-1", Completion(prUrl: "u"))).get() == [
            .workerCompleted(.init(
                workerId: "worker-1", workItemId: "item-1", prUrl: "u", prNumber: nil, verificationPassed: nil, metrics: nil,
                learnings: [], review: nil)),
            Self.released,
        ])
        let after = try given.after(.complete(workerId: "worker-1", Completion()))
        #expect(after.workItems["item-1"]?.status == .completed && after.cancelRequests.isEmpty)
    }

    @Test func aFailureDuringTheGraceEndsTheItemCancelledNotRetried() throws {
        #expect(try Given(Self.running + [Self.request]).when(.fail(workerId: "worker-1", Failure(error: "cancelled", iteration: 1))).get() == [
            .workerFailed(.init(workerId: "worker-1", workItemId: "item-1", error: "cancelled", iteration: 1, category: nil)),
            Self.cancelled, Self.released,
        ])
    }

    @Test func aStuckReportDuringTheGraceEndsTheItemCancelled() throws {
        #expect(try Given(Self.running + [Self.request]).when(.stuck(workerId: "worker-1", reason: "loop", attempts: 2)).get() == [
            .workerStuck(.init(workerId: "worker-1", workItemId: "item-1", reason: "loop", attempts: 2)), Self.cancelled, Self.released,
        ])
    }

    @Test func aKillDuringTheGraceStopsNowAndTheItemStaysCancelled() throws {
        #expect(try Given(Self.running + [Self.request]).when(.kill(workerId: "worker-1", reason: "now")).get() == [
            .workerKilled(.init(workerId: "worker-1", workItemId: "item-1", reason: "now")), Self.cancelled, Self.released,
        ])
    }

    @Test func aStaleTimeoutDuringTheGraceEndsTheItemCancelled() throws {
        var given = Given(Self.running)
        given.append(Self.request, at: Given.t0.adding(seconds: 290))
        #expect(try given.when(.killIfStale(workerId: "worker-1"), at: Given.t0.adding(seconds: 302)).get() == [
            .workerKilled(.init(workerId: "worker-1", workItemId: "item-1", reason: "heartbeat timeout")), Self.cancelled, Self.released,
        ])
    }

    @Test func aLossDuringTheGraceEndsTheItemCancelled() throws {
        #expect(try Given(Self.running + [Self.request]).when(.recordWorkerLost(workerId: "worker-1", reason: "container exited with code 0")).get() == [
            .workerLost(.init(workerId: "worker-1", workItemId: "item-1", containerId: "c1", reason: "container exited with code 0")),
            Self.cancelled, Self.released,
        ])
    }

    @Test func aFailedStartDuringTheGraceEndsTheItemCancelledNotQueued() throws {
        let given = Given([Self.added, .spawned("worker-1", for: "item-1"), Self.request])
        #expect(try given.when(.recordSpawnFailure(workerId: "worker-1", reason: "no image")).get() == [
            .workerSpawnFailed(.init(workerId: "worker-1", workItemId: "item-1", reason: "no image")), Self.cancelled,
        ])
        let after = try given.after(.recordSpawnFailure(workerId: "worker-1", reason: "no image"))
        #expect(after.workItems["item-1"]?.status == .cancelled && after.cancelRequests.isEmpty && after.workers.isEmpty)
    }

    // MARK: The grace

    @Test func aWorkerNotEndedWithinTheGraceIsStoppedAndTheItemCancelled() throws {
        let given = Given(Self.running + [Self.request])
        let due = given.time.adding(seconds: 30)
        #expect(try given.when(.expireCancelGrace(workerId: "worker-1"), at: due).get() == [
            .cancelGraceExpired(.init(workerId: "worker-1", workItemId: "item-1", graceSeconds: 30)), Self.cancelled, Self.released,
        ])
        let after = try given.after(.expireCancelGrace(workerId: "worker-1"), at: due)
        let worker = try #require(after.workers["worker-1"])
        #expect(worker.status == .killed && worker.error == "cancelled: wrong repo; not ended within the 30 s grace")
        #expect(after.workItems["item-1"]?.status == .cancelled && after.cancelRequests.isEmpty && after.allLocks.isEmpty)
    }

    @Test func theGraceIsTheRequestsEvenWhenTheRulesChange() throws {
        var rules = LifecycleConfiguration()
        rules.cancelGraceSeconds = 1
        let given = Given(Self.running + [Self.request])
        #expect(given.when(.expireCancelGrace(workerId: "worker-1"), at: given.time.adding(seconds: 29), configuration: rules)
            == .failure(LifecycleError(.invalidState, "worker 'worker-1' has until \(given.time.adding(seconds: 30).iso8601) to end")))
    }

    @Test func aWorkerThatEndedMeanwhileIsNotStopped() throws {
        var given = Given(Self.running + [Self.request])
        let after = try given.after(.fail(workerId: "worker-1", Failure(error: "bye", iteration: 1)))
        given = Given([])
        #expect(throws: LifecycleError.self) {
            try decide(.expireCancelGrace(workerId: "worker-1"), state: after, context: DecisionContext(
                now: Given.t0.adding(seconds: 3_600), ids: FixedIDs([]), configuration: .init()))
        }
        #expect(Given(Self.running).when(.expireCancelGrace(workerId: "worker-1"), at: Given.t0.adding(seconds: 3_600))
            == .failure(LifecycleError(.invalidState, "no cancel was asked of worker 'worker-1'")))
    }

    // MARK: Refusals

    @Test func anEndedItemIsRefusedWithItsStatus() throws {
        let completed = Self.running + [.workerCompleted(.init(
            workerId: "worker-1", workItemId: "item-1", prUrl: nil, prNumber: nil, verificationPassed: nil, metrics: nil,
            learnings: [], review: nil))]
        #expect(Given(completed).when(.cancelWorkItem("item-1")) == .failure(LifecycleError(
            .workItemEnded, "work item 'item-1' is completed; it can no longer be cancelled")))
        let failed = [Self.added, .workItemFailed(.init(workItemId: "item-1", workerId: "w", retryCount: 4, error: "e"))]
        #expect(Given(failed).when(.cancelWorkItem("item-1")) == .failure(LifecycleError(
            .workItemEnded, "work item 'item-1' is failed; it can no longer be cancelled")))
        #expect(Given([]).when(.cancelWorkItem("item-9")) == .failure(LifecycleError(.workItemNotFound, "no work item 'item-9'")))
    }

    // MARK: By filter

    static let several: [Event] = [
        .workItemAdded(.item("item-1")), .workItemAdded(.item("item-2")), .workItemAdded(.item("item-3", type: .verification)),
        .spawned("worker-1", for: "item-1"), .workItemAdded(.item("item-4")),
        .workItemCancelled(.init(workItemId: "item-4")),
    ]

    @Test func aFilterCancelsEachMatchingItemInOneDecision() throws {
        let given = Given(Self.several)
        let context = DecisionContext(now: given.time.adding(seconds: 1), ids: FixedIDs([]), configuration: .init())
        let decision = try decide(.cancelWorkItems(WorkItemFilter(type: .execution), reason: "freeze"), state: given.state, context: context)
        #expect(decision.events == [
            .cancelRequested(.init(workItemId: "item-1", workerId: "worker-1", reason: "freeze", graceSeconds: 30)),
            .workItemCancelled(.init(workItemId: "item-2", reason: "freeze")),
        ])
        #expect(decision.reply == .workItems(["item-1", "item-2"]))
        let queued = try decide(.cancelWorkItems(WorkItemFilter(statuses: [.queued], repo: "acme/web")), state: given.state, context: context)
        #expect(queued.reply == .workItems(["item-2", "item-3"]))
        let none = try decide(.cancelWorkItems(WorkItemFilter(repo: "acme/other")), state: given.state, context: context)
        #expect(none.events.isEmpty && none.reply == .workItems([]))
    }

    @Test func aFilterMustSaySomethingAndNameOnlyStatusesACancelAppliesTo() throws {
        let given = Given(Self.several)
        #expect(given.when(.cancelWorkItems(WorkItemFilter())) == .failure(.validation("a cancel filter needs at least one of 'status', 'repo' and 'type'")))
        #expect(given.when(.cancelWorkItems(WorkItemFilter(statuses: [.completed]))) == .failure(
            .validation("a cancel filter's statuses must be among queued, assigned and in_progress")))
        #expect(given.when(.cancelWorkItems(WorkItemFilter(repo: " "))) == .failure(.validation("'repo' must not be empty")))
    }
}
