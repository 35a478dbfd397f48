@testable import ShiftlogCore
import Testing

/// A spawn for a named item follows the same rules as `next`: the item's retry backoff, and
/// a worker whose mode is the item's type.
@Suite struct SpawnRuleTests {
    /// item-1 failed once: its retry is due 300 s after the failure (a 300 s backoff).
    func waitingToRetry() -> Given {
        var given = Given([.workItemAdded(.item("item-1")), .spawned("worker-1", for: "item-1")])
        let failedAt = given.time.adding(seconds: 10)
        given.append(.workerFailed(.init(workerId: "worker-1", workItemId: "item-1", error: "boom", iteration: 1, category: nil)), at: failedAt)
        given.append(.workItemRetryScheduled(.init(
            workItemId: "item-1", workerId: "worker-1", retryCount: 1, nextRetryAt: failedAt.adding(seconds: 300), error: "boom")),
            at: failedAt)
        return given
    }

    @Test func aNamedSpawnIsRefusedUntilTheItemsRetryIsDue() {
        let given = waitingToRetry()
        let early = given.time.adding(seconds: 299)
        #expect(given.when(.spawn(workItemId: "item-1", mode: nil), at: early) == .failure(LifecycleError(
            .invalidState,
            "work item 'item-1' waits to retry until 2026-03-01T09:05:11.000Z (retry 1); it cannot be spawned before")))
    }

    @Test func aNamedSpawnIsAllowedOnceTheRetryIsDue() {
        let given = waitingToRetry()
        #expect(given.when(.spawn(workItemId: "item-1", mode: nil), at: given.time.adding(seconds: 300))
            == .success([.spawned("worker-new-1", for: "item-1")]))
    }

    @Test func aVerificationItemGetsAVerificationWorkerWhenNoModeIsGiven() {
        let given = Given([.workItemAdded(.item("item-1", type: .verification))])
        #expect(given.when(.spawn(workItemId: "item-1", mode: nil))
            == .success([.spawned("worker-new-1", for: "item-1", mode: .verification)]))
    }

    @Test func aModeThatAgreesWithTheTypeIsAccepted() {
        let given = Given([.workItemAdded(.item("item-1", type: .verification))])
        #expect(given.when(.spawn(workItemId: "item-1", mode: .verification))
            == .success([.spawned("worker-new-1", for: "item-1", mode: .verification)]))
    }

    @Test(arguments: [(WorkItemType.verification, SpawnMode.execution), (.execution, .verification)])
    func aModeThatContradictsTheItemsTypeIsRefused(_ type: WorkItemType, _ mode: SpawnMode) {
        let given = Given([.workItemAdded(.item("item-1", type: type))])
        let itemMode = type == .verification ? "verification" : "execution"
        #expect(given.when(.spawn(workItemId: "item-1", mode: mode)) == .failure(LifecycleError(
            .validationFailed,
            "work item 'item-1' is a \(type.rawValue) item; it gets a \(itemMode) worker, not \(mode.rawValue)")))
    }

    /// Decision (DESIGN.md, differences from whim): a spawn whose container could not be
    /// started still counts for the cooldown, which paces attempts against a failing runtime.
    @Test func aFailedSpawnStillCountsForTheCooldown() {
        let given = Given([
            .workItemAdded(.item("item-1")), .spawned("worker-1", for: "item-1"),
            .workerSpawnFailed(.init(workerId: "worker-1", workItemId: "item-1", reason: "no such image")),
        ])
        #expect(given.when(.spawnNext, at: given.time.adding(seconds: 30)) == .failure(LifecycleError(
            .cooldownActive, "last spawn at 2026-03-01T09:00:01.000Z; cooldown ends in 29s")))
        #expect(given.when(.spawnNext, at: Given.t0.adding(seconds: 61))
            == .success([.spawned("worker-new-1", for: "item-1")]))
    }
}
