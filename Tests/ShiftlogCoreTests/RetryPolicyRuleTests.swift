@testable import ShiftlogCore
import Testing

/// Issue 18 §3: an item's own retry rules (how many retries, which backoff, how much jitter,
/// which failure categories are not retried), each falling back to the server's. Given these
/// events, when this command, then exactly these events or this refusal.
@Suite struct RetryPolicyRuleTests {
    /// item-1 with `policy`, running on worker-1.
    static func running(_ policy: WorkItemPolicy?, retryCount: Int = 0) -> Given {
        var events: [Event] = [.workItemAdded(.item("item-1", policy: policy))]
        for retry in 0..<retryCount {
            let worker = "worker-old-\(retry)"
            events += [
                .spawned(worker, for: "item-1"),
                .workerFailed(.init(workerId: worker, workItemId: "item-1", error: "boom", iteration: 1, category: nil)),
                .workItemRetryScheduled(.init(workItemId: "item-1", workerId: worker, retryCount: retry + 1, nextRetryAt: nil, error: "boom")),
            ]
        }
        return Given(events + [.spawned("worker-1", for: "item-1")])
    }

    static func fail(_ category: FailureCategory? = nil) -> Command {
        .fail(workerId: "worker-1", Failure(error: "boom", iteration: 1, category: category))
    }

    /// The item event that follows the worker's failure.
    static func outcome(_ given: Given, _ command: Command = fail(), configuration: LifecycleConfiguration = .init()) throws -> Event {
        let events = try given.when(command, configuration: configuration).get()
        return try #require(events.first { $0.type == .workItemRetryScheduled || $0.type == .workItemFailed })
    }

    // MARK: How many retries

    @Test func anItemsOwnMaxRetriesWinsOverTheServers() throws {
        let policy = WorkItemPolicy(retry: RetryPolicy(maxRetries: 1))
        #expect(try Self.outcome(Self.running(policy)).type == .workItemRetryScheduled)
        #expect(try Self.outcome(Self.running(policy, retryCount: 1)) == .workItemFailed(.init(
            workItemId: "item-1", workerId: "worker-1", retryCount: 2, error: "boom (retries exhausted: 1 of 1)")))
        // Without a policy, the server's three.
        #expect(try Self.outcome(Self.running(nil, retryCount: 1)).type == .workItemRetryScheduled)
    }

    @Test func zeroRetriesFailsAtTheFirstFailure() throws {
        #expect(try Self.outcome(Self.running(WorkItemPolicy(retry: RetryPolicy(maxRetries: 0)))).type == .workItemFailed)
    }

    // MARK: Which backoff

    @Test func aScheduleOfItsOwnSetsTheWait() throws {
        let given = Self.running(WorkItemPolicy(retry: RetryPolicy(backoff: .schedule([7, 11]))))
        guard case .workItemRetryScheduled(let retry) = try Self.outcome(given) else { Issue.record("not retried"); return }
        #expect(retry.nextRetryAt == given.time.adding(seconds: 1 + 7))
        let second = Self.running(WorkItemPolicy(retry: RetryPolicy(backoff: .schedule([7, 11]))), retryCount: 2)
        guard case .workItemRetryScheduled(let third) = try Self.outcome(second) else { Issue.record("not retried"); return }
        #expect(third.nextRetryAt == second.time.adding(seconds: 1 + 11), "the last wait repeats")
    }

    @Test func anExponentialBackoffGrowsByItsFactorUpToItsMaximum() {
        let backoff = RetryBackoff.exponential(initialSeconds: 10, factorPerMille: 2_000, maxSeconds: 35)
        #expect((1...5).map { backoff.seconds(forRetry: $0) } == [10, 20, 35, 35, 35])
        #expect(RetryBackoff.exponential(initialSeconds: 100, factorPerMille: 2_000, maxSeconds: 60).seconds(forRetry: 1) == 60, "a cap")
        let slow = RetryBackoff.exponential(initialSeconds: 60, factorPerMille: 1_500, maxSeconds: 86_400)
        #expect((1...3).map { slow.seconds(forRetry: $0) } == [60, 90, 135])
        // A thousandth retry is capped, neither overflowing nor slow.
        #expect(RetryBackoff.exponential(initialSeconds: 1, factorPerMille: 100_000, maxSeconds: 604_800).seconds(forRetry: 1_000) == 604_800)
    }

    @Test func anExponentialPolicyDecidesTheRetrysWait() throws {
        let policy = WorkItemPolicy(retry: RetryPolicy(backoff: .exponential(initialSeconds: 10, factorPerMille: 3_000, maxSeconds: 1_000)))
        let given = Self.running(policy, retryCount: 2)
        guard case .workItemRetryScheduled(let retry) = try Self.outcome(given) else { Issue.record("not retried"); return }
        #expect(retry.retryCount == 3 && retry.nextRetryAt == given.time.adding(seconds: 1 + 90))
    }

    @Test func withoutAPolicyTheServersScheduleApplies() throws {
        var rules = LifecycleConfiguration()
        rules.retryBackoffSeconds = [42]
        let given = Self.running(nil)
        guard case .workItemRetryScheduled(let retry) = try Self.outcome(given, configuration: rules) else { Issue.record("not retried"); return }
        #expect(retry.nextRetryAt == given.time.adding(seconds: 1 + 42))
    }

    // MARK: Jitter

    @Test func jitterIsDrawnFromTheItemAndTheRetryAndStaysWithinItsFraction() {
        let waits = (1...50).map { DeterministicJitter.apply(perMille: 250, to: 1_000, item: "item-\($0)", retry: 1) }
        #expect(waits.allSatisfy { (750...1_250).contains($0) })
        #expect(Set(waits).count > 40, "items failing together spread out")
        #expect(waits == (1...50).map { DeterministicJitter.apply(perMille: 250, to: 1_000, item: "item-\($0)", retry: 1) }, "the same every time")
        #expect(DeterministicJitter.apply(perMille: 0, to: 1_000, item: "item-1", retry: 1) == 1_000)
        #expect(DeterministicJitter.apply(perMille: 1_000, to: 0, item: "item-1", retry: 1) == 0)
    }

    @Test func theRetryWaitsTheJitteredTimeAndTheServersJitterAppliesToItemsWithoutOne() throws {
        let given = Self.running(WorkItemPolicy(retry: RetryPolicy(backoff: .schedule([600]), jitterPerMille: 500)))
        guard case .workItemRetryScheduled(let own) = try Self.outcome(given) else { Issue.record("not retried"); return }
        let expected = DeterministicJitter.apply(perMille: 500, to: 600, item: "item-1", retry: 1)
        #expect(own.nextRetryAt == given.time.adding(seconds: 1 + expected) && expected != 600)

        var rules = LifecycleConfiguration()
        rules.retryBackoffSeconds = [600]
        rules.retryJitterPerMille = 500
        let plain = Self.running(nil)
        guard case .workItemRetryScheduled(let server) = try Self.outcome(plain, configuration: rules) else { Issue.record("not retried"); return }
        #expect(server.nextRetryAt == plain.time.adding(seconds: 1 + expected))
    }

    // MARK: Non-retryable categories

    @Test func aNonRetryableCategoryFailsTheItemAtOnce() throws {
        let policy = WorkItemPolicy(retry: RetryPolicy(nonRetryable: [.validationError]))
        #expect(try Self.outcome(Self.running(policy), Self.fail(.validationError)) == .workItemFailed(.init(
            workItemId: "item-1", workerId: "worker-1", retryCount: 1,
            error: "[VALIDATION_ERROR] boom (not retried: VALIDATION_ERROR is non-retryable)")))
        #expect(try Self.outcome(Self.running(policy), Self.fail(.networkError)).type == .workItemRetryScheduled)
        #expect(try Self.outcome(Self.running(policy), Self.fail()).type == .workItemRetryScheduled, "no category: retried")
    }

    @Test func theServersNonRetryableCategoriesApplyToItemsWithoutTheirOwn() throws {
        var rules = LifecycleConfiguration()
        rules.nonRetryableCategories = [.validationError]
        #expect(try Self.outcome(Self.running(nil), Self.fail(.validationError), configuration: rules).type == .workItemFailed)
        // An item's own list (even an empty one) wins.
        let own = WorkItemPolicy(retry: RetryPolicy(nonRetryable: []))
        #expect(try Self.outcome(Self.running(own), Self.fail(.validationError), configuration: rules).type == .workItemRetryScheduled)
    }

    // MARK: The add

    @Test func thePolicyIsRecordedInTheAddAndKeptWithTheItem() throws {
        let policy = WorkItemPolicy(retry: RetryPolicy(maxRetries: 5, backoff: .schedule([1])), deadlineSeconds: 3_600)
        let events = try Given([]).when(.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x", policy: policy))).get()
        guard case .workItemAdded(let added) = try #require(events.first) else { Issue.record("no add"); return }
        #expect(added.policy == policy)
        var given = Given([])
        given.append(events[0], at: Given.t0)
        #expect(given.state.policies["item-new-1"] == policy)
        // An empty policy is none.
        let plain = try Given([]).when(.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x", policy: WorkItemPolicy()))).get()
        guard case .workItemAdded(let none) = try #require(plain.first) else { Issue.record("no add"); return }
        #expect(none.policy == nil)
    }

    static let badPolicies: [(WorkItemPolicy, String)] = [
        (WorkItemPolicy(retry: RetryPolicy(maxRetries: 10_000)), "'retry.maxRetries'"),
        (WorkItemPolicy(retry: RetryPolicy(maxRetries: -1)), "'retry.maxRetries'"),
        (WorkItemPolicy(retry: RetryPolicy(backoff: .schedule([60, -5]))), "'retry.schedule[1]'"),
        (WorkItemPolicy(retry: RetryPolicy(backoff: .schedule([]))), "'retry.schedule'"),
        (WorkItemPolicy(retry: RetryPolicy(backoff: .exponential(initialSeconds: -1, factorPerMille: 2_000, maxSeconds: 60))), "'retry.exponential.initial'"),
        (WorkItemPolicy(retry: RetryPolicy(backoff: .exponential(initialSeconds: 1, factorPerMille: 999, maxSeconds: 60))), "'retry.exponential.factor'"),
        (WorkItemPolicy(retry: RetryPolicy(backoff: .exponential(initialSeconds: 1, factorPerMille: 2_000, maxSeconds: 604_801))), "'retry.exponential.max'"),
        (WorkItemPolicy(retry: RetryPolicy(jitterPerMille: 1_001)), "'retry.jitter'"),
        (WorkItemPolicy(attemptTimeoutSeconds: 0), "'attemptTimeoutSeconds'"),
        (WorkItemPolicy(deadlineSeconds: 100_000_000), "'deadlineSeconds'"),
    ]

    @Test(arguments: badPolicies)
    func aPolicyOutOfRangeIsRefusedNamingTheFieldAndAppendsNothing(_ policy: WorkItemPolicy, _ field: String) {
        let result = Given([]).when(.addWorkItem(NewWorkItem(repo: "acme/web", spec: "x", policy: policy)))
        guard case .failure(let error) = result else { Issue.record("accepted: \(result)"); return }
        #expect(error.code == .validationFailed)
        #expect(error.message.hasPrefix(field), "\(error.message)")
    }
}
