@testable import ShiftlogCore
import Testing

/// Issue 18 §4: an attempt timeout kills a worker that runs too long (its item retried); a
/// deadline fails an item that takes too long (its worker stopped). The item's own limit wins
/// over the server's; none applies by default. Given these events, when this command, then
/// exactly these events or this refusal.
@Suite struct TimeLimitRuleTests {
    /// item-1 with `policy`, spawned on worker-1 a second after it was added, holding a lock.
    static func running(_ policy: WorkItemPolicy?) -> Given {
        Given([
            .workItemAdded(.item("item-1", policy: policy)), .spawned("worker-1", for: "item-1"),
            .locksAcquired(.init(workerId: "worker-1", repo: "acme/web", paths: ["a.swift"])),
        ])
    }
    static let spawnedAt = Given.t0.adding(seconds: 1)
    static let released = Event.locksReleased(.init(workerId: "worker-1", locks: [LockKey(repo: "acme/web", path: "a.swift")]))

    // MARK: Attempt timeout

    @Test func aWorkerPastItsItemsAttemptTimeoutIsKilledAndTheItemRetried() throws {
        let given = Self.running(WorkItemPolicy(attemptTimeoutSeconds: 60))
        let at = Self.spawnedAt.adding(seconds: 60)
        #expect(given.state.workersPastAttemptTimeout(at: at, .init()).map(\.id) == ["worker-1"])
        let events = try given.when(.expireAttempt(workerId: "worker-1"), at: at).get()
        #expect(events.map(\.type) == [.workerKilled, .workItemRetryScheduled, .locksReleased])
        #expect(events.first == .workerKilled(.init(workerId: "worker-1", workItemId: "item-1", reason: "attempt timeout")))
    }

    @Test func aWorkerWithinItsAttemptTimeoutIsRefused() {
        let given = Self.running(WorkItemPolicy(attemptTimeoutSeconds: 60))
        let at = Self.spawnedAt.adding(seconds: 59)
        #expect(given.state.workersPastAttemptTimeout(at: at, .init()).isEmpty)
        guard case .failure(let error) = given.when(.expireAttempt(workerId: "worker-1"), at: at) else { Issue.record("accepted"); return }
        #expect(error.code == .invalidState)
    }

    @Test func theServersAttemptTimeoutAppliesToItemsWithoutTheirOwnAndNoneByDefault() throws {
        let at = Self.spawnedAt.adding(seconds: 3_600)
        let plain = Self.running(nil)
        #expect(plain.state.workersPastAttemptTimeout(at: at, .init()).isEmpty, "no limit by default")
        var rules = LifecycleConfiguration()
        rules.attemptTimeoutSeconds = 600
        #expect(plain.state.workersPastAttemptTimeout(at: at, rules).map(\.id) == ["worker-1"])
        #expect(try plain.when(.expireAttempt(workerId: "worker-1"), at: at, configuration: rules).get().first?.type == .workerKilled)
        // An item's own limit wins, longer or shorter.
        let own = Self.running(WorkItemPolicy(attemptTimeoutSeconds: 7_200))
        #expect(own.state.workersPastAttemptTimeout(at: at, rules).isEmpty)
    }

    // MARK: Deadline

    @Test func aRunningItemPastItsDeadlineFailsAndItsWorkerIsStopped() throws {
        let given = Self.running(WorkItemPolicy(deadlineSeconds: 100))
        let at = Given.t0.adding(seconds: 100)
        #expect(given.state.itemsPastDeadline(at: at, .init()).map(\.id) == ["item-1"])
        let events = try given.when(.expireDeadline(workItemId: "item-1"), at: at).get()
        #expect(events == [.workItemDeadlinePassed(.init(workItemId: "item-1", workerId: "worker-1", deadlineSeconds: 100)), Self.released])
        #expect(events[0].stoppedWorkerId == "worker-1")
        let after = try given.after(.expireDeadline(workItemId: "item-1"), at: at)
        #expect(after.workItems["item-1"]?.status == .failed)
        #expect(after.workItems["item-1"]?.error == "deadline: not ended within 100 s")
        #expect(after.workers["worker-1"]?.status == .killed && after.activeWorkerCount == 0 && after.allLocks.isEmpty)
    }

    @Test func aQueuedItemPastItsDeadlineFailsWithNoWorkerToStop() throws {
        let given = Given([.workItemAdded(.item("item-1", policy: WorkItemPolicy(deadlineSeconds: 100)))])
        let at = Given.t0.adding(seconds: 100)
        #expect(try given.when(.expireDeadline(workItemId: "item-1"), at: at).get()
            == [.workItemDeadlinePassed(.init(workItemId: "item-1", workerId: nil, deadlineSeconds: 100))])
        #expect(try given.after(.expireDeadline(workItemId: "item-1"), at: at).nextReadyItem(at: at) == nil)
    }

    @Test func anItemWithinItsDeadlineOrEndedOrWithoutOneIsRefused() throws {
        let given = Self.running(WorkItemPolicy(deadlineSeconds: 100))
        guard case .failure(let early) = given.when(.expireDeadline(workItemId: "item-1"), at: Given.t0.adding(seconds: 99)) else {
            Issue.record("accepted early"); return
        }
        #expect(early.code == .invalidState)
        guard case .failure(let none) = Self.running(nil).when(.expireDeadline(workItemId: "item-1"), at: Given.t0.adding(seconds: 99_999)) else {
            Issue.record("accepted without a deadline"); return
        }
        #expect(none.code == .invalidState)
        var endedGiven = given
        endedGiven.append(.workerCompleted(.init(
            workerId: "worker-1", workItemId: "item-1", prUrl: nil, prNumber: nil, verificationPassed: nil, metrics: nil,
            learnings: [], review: nil)), at: given.time)
        #expect(endedGiven.state.itemsPastDeadline(at: Given.t0.adding(seconds: 500), .init()).isEmpty)
        guard case .failure(let late) = endedGiven.when(.expireDeadline(workItemId: "item-1"), at: Given.t0.adding(seconds: 500)) else {
            Issue.record("accepted after the end"); return
        }
        #expect(late.code == .workItemEnded)
    }

    @Test func aCancelUnderWayEndsTheItemNotTheDeadline() {
        var given = Self.running(WorkItemPolicy(deadlineSeconds: 100))
        given.append(.cancelRequested(.init(workItemId: "item-1", workerId: "worker-1", reason: nil, graceSeconds: 30)), at: given.time)
        let at = Given.t0.adding(seconds: 100)
        #expect(given.state.itemsPastDeadline(at: at, .init()).isEmpty)
        guard case .failure(let error) = given.when(.expireDeadline(workItemId: "item-1"), at: at) else { Issue.record("accepted"); return }
        #expect(error.code == .invalidState)
    }

    @Test func theServersDeadlineAppliesToItemsWithoutTheirOwn() throws {
        var rules = LifecycleConfiguration()
        rules.deadlineSeconds = 50
        let given = Given([.workItemAdded(.item("item-1"))])
        #expect(given.state.itemsPastDeadline(at: Given.t0.adding(seconds: 50), .init()).isEmpty, "none by default")
        #expect(given.state.itemsPastDeadline(at: Given.t0.adding(seconds: 50), rules).map(\.id) == ["item-1"])
        #expect(try given.when(.expireDeadline(workItemId: "item-1"), at: Given.t0.adding(seconds: 50), configuration: rules).get()
            == [.workItemDeadlinePassed(.init(workItemId: "item-1", workerId: nil, deadlineSeconds: 50))])
    }

    @Test func aRetryByHandRestartsTheDeadline() throws {
        var given = Given([.workItemAdded(.item("item-1", policy: WorkItemPolicy(deadlineSeconds: 100)))])
        let passed = Given.t0.adding(seconds: 100)
        given.append(.workItemDeadlinePassed(.init(workItemId: "item-1", workerId: nil, deadlineSeconds: 100)), at: passed)
        let retriedAt = passed.adding(seconds: 10)
        given.append(.workItemRetriedNow(.init(workItemId: "item-1", previousStatus: .failed, requestedBy: "alice")), at: retriedAt)
        let item = try #require(given.state.workItems["item-1"])
        #expect(item.status == .queued)
        #expect(given.state.deadline(of: item, .init()) == retriedAt.adding(seconds: 100))
        #expect(given.state.itemsPastDeadline(at: retriedAt.adding(seconds: 99), .init()).isEmpty)
    }
}
