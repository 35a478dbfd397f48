@testable import ShiftlogCore
import Testing

/// Issue 18 §3: an operator runs an item again now, or changes a waiting item's priority.
/// Given these events, when this command, then exactly these events or this refusal.
@Suite struct ManualControlRuleTests {
    static let added = Event.workItemAdded(.item("item-1"))
    static let running: [Event] = [added, .spawned("worker-1", for: "item-1")]
    static let failed: [Event] = running + [
        .workerFailed(.init(workerId: "worker-1", workItemId: "item-1", error: "boom", iteration: 1, category: nil)),
        .workItemFailed(.init(workItemId: "item-1", workerId: "worker-1", retryCount: 4, error: "boom (retries exhausted: 3 of 3)")),
    ]
    static let retry = Command.retryWorkItem("item-1", requestedBy: "alice")

    // MARK: Retry now

    @Test func aFailedItemGoesBackToTheQueueWithAFreshRetryCount() throws {
        let given = Given(Self.failed)
        #expect(try given.when(Self.retry).get()
            == [.workItemRetriedNow(.init(workItemId: "item-1", previousStatus: .failed, requestedBy: "alice"))])
        let after = try given.after(Self.retry)
        let item = try #require(after.workItems["item-1"])
        #expect(item.status == .queued && item.retryCount == 0 && item.error == nil && item.workerId == nil && item.nextRetryAt == nil)
        #expect(after.nextReadyItem(at: given.time.adding(seconds: 1))?.id == "item-1")
    }

    @Test func aCancelledItemGoesBackToTheQueue() throws {
        let given = Given([Self.added, .workItemCancelled(.init(workItemId: "item-1", reason: "oops"))])
        #expect(try given.when(Self.retry).get()
            == [.workItemRetriedNow(.init(workItemId: "item-1", previousStatus: .cancelled, requestedBy: "alice"))])
        #expect(try given.after(Self.retry).workItems["item-1"]?.status == .queued)
    }

    @Test func aQueuedItemWaitingForItsBackoffBecomesDueAndKeepsItsRetryCount() throws {
        let given = Given(Self.running + [
            .workerFailed(.init(workerId: "worker-1", workItemId: "item-1", error: "boom", iteration: 1, category: nil)),
            .workItemRetryScheduled(.init(
                workItemId: "item-1", workerId: "worker-1", retryCount: 1, nextRetryAt: Given.t0.adding(seconds: 600), error: "boom")),
        ])
        #expect(given.state.nextReadyItem(at: given.time.adding(seconds: 1)) == nil)
        #expect(try given.when(Self.retry).get()
            == [.workItemRetriedNow(.init(workItemId: "item-1", previousStatus: .queued, requestedBy: "alice"))])
        let after = try given.after(Self.retry)
        #expect(after.workItems["item-1"]?.retryCount == 1 && after.workItems["item-1"]?.nextRetryAt == nil)
        #expect(after.nextReadyItem(at: given.time.adding(seconds: 1))?.id == "item-1")
    }

    @Test func aQueuedItemAlreadyDueAppendsNothing() throws {
        #expect(try Given([Self.added]).when(Self.retry).get() == [])
    }

    @Test(arguments: [
        (running, WorkItemStatus.inProgress),
        ([added, .workItemAssigned(.init(workItemId: "item-1"))], .assigned),
        (running + [
            .workerCompleted(.init(
                workerId: "worker-1", workItemId: "item-1", prUrl: nil, prNumber: nil, verificationPassed: nil, metrics: nil,
                learnings: [], review: nil)),
        ], .completed),
    ])
    func anItemThatIsRunningOrCompletedIsRefused(_ events: [Event], _ status: WorkItemStatus) {
        let result = Given(events).when(Self.retry)
        guard case .failure(let error) = result else { Issue.record("accepted: \(result)"); return }
        #expect(error.code == .invalidState && error.message.contains(status.rawValue))
    }

    @Test func anUnknownItemIsRefused() {
        guard case .failure(let error) = Given([]).when(Self.retry) else { Issue.record("accepted"); return }
        #expect(error.apiCode == "NOT_FOUND")
    }

    @Test func whoAskedMustBeNamed() {
        guard case .failure(let error) = Given(Self.failed).when(.retryWorkItem("item-1", requestedBy: "  ")) else { Issue.record("accepted"); return }
        #expect(error.code == .validationFailed)
    }

    // MARK: Priority

    @Test func aQueuedItemsPriorityChangesAndTheQueueOrderFollows() throws {
        let given = Given([Self.added, .workItemAdded(.item("item-2"))])
        #expect(given.state.queueOrder.map(\.id) == ["item-1", "item-2"])
        let command = Command.changePriority("item-2", .critical, requestedBy: "bob")
        #expect(try given.when(command).get() == [.workItemPriorityChanged(.init(
            workItemId: "item-2", priority: .critical, previousPriority: .medium, requestedBy: "bob"))])
        let after = try given.after(command)
        #expect(after.queueOrder.map(\.id) == ["item-2", "item-1"])
        #expect(after.nextReadyItem(at: given.time.adding(seconds: 1))?.id == "item-2")
    }

    @Test func theSamePriorityAppendsNothing() throws {
        #expect(try Given([Self.added]).when(.changePriority("item-1", .medium, requestedBy: "bob")).get() == [])
    }

    @Test func aRunningOrEndedItemsPriorityIsRefused() {
        for events in [Self.running, Self.failed] {
            guard case .failure(let error) = Given(events).when(.changePriority("item-1", .high, requestedBy: "bob")) else {
                Issue.record("accepted"); continue
            }
            #expect(error.code == .invalidState)
        }
    }
}
