public import ShiftlogCore

/// One-line summaries of events, for listings and timelines.
extension Event {
    /// One line saying what the event records, without its type name: what tables,
    /// timelines and the demo print beside the type.
    /// An item's own rules in brief: `[retries 5, backoff 60·2^n ≤ 600 s, jitter 0.2, not retried: VALIDATION_ERROR, attempt ≤ 600 s, deadline 3600 s]`.
    static func describe(_ policy: WorkItemPolicy) -> String {
        var parts: [String] = []
        if let retry = policy.retry {
            if let max = retry.maxRetries { parts.append("retries \(max)") }
            switch retry.backoff {
            case .schedule(let seconds)?: parts.append("backoff \(seconds.map(String.init).joined(separator: ",")) s")
            case .exponential(let initial, let factor, let maximum)?:
                parts.append("backoff \(initial)·\(Thousandths.text(factor))^n ≤ \(maximum) s")
            case nil: break
            }
            if let jitter = retry.jitterPerMille { parts.append("jitter \(Thousandths.text(jitter))") }
            if let categories = retry.nonRetryable { parts.append("not retried: \(categories.map(\.rawValue).joined(separator: ","))") }
        }
        if let seconds = policy.attemptTimeoutSeconds { parts.append("attempt ≤ \(seconds) s") }
        if let seconds = policy.deadlineSeconds { parts.append("deadline \(seconds) s") }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    public var summary: String {
        switch self {
        case .workItemAdded(let e):
            "\(e.workItemId) \(e.repo) (\(e.type.rawValue), \(e.priority.rawValue))"
                + (e.parentWorkItemId.map { ", verifies \($0)" } ?? "") + (e.policy.map { " " + Self.describe($0) } ?? "")
        case .workItemAssigned(let e): e.workItemId
        case .workItemCancelled(let e):
            e.workItemId + (e.workerId.map { ", worker \($0)" } ?? "") + (e.reason.map { ": \($0)" } ?? "")
        case .cancelRequested(let e):
            "\(e.workItemId): \(e.workerId) asked to end within \(e.graceSeconds) s" + (e.reason.map { ": \($0)" } ?? "")
        case .cancelGraceExpired(let e): "\(e.workerId) not ended within its \(e.graceSeconds) s cancel grace: stopping it"
        case .endGraceElapsed(let e): "\(e.workerId) ended \(e.graceSeconds) s ago: stopping its container if it still runs"
        case .containerExited(let e):
            "\(e.workerId) exited by itself" + (e.exitCode.map { ", exit \($0)" } ?? "") + ", \(e.logTail.count) log lines kept"
        case .workItemRequeued(let e): e.workItemId
        case .workItemRetriedNow(let e): "\(e.workItemId) (was \(e.previousStatus.rawValue)) by \(e.requestedBy)"
        case .workItemPriorityChanged(let e):
            "\(e.workItemId) \(e.previousPriority.rawValue) → \(e.priority.rawValue) by \(e.requestedBy)"
        case .workItemDeadlinePassed(let e):
            "\(e.workItemId) not ended within its \(e.deadlineSeconds) s deadline" + (e.workerId.map { ": stopping \($0)" } ?? "")
        case .workItemRetryScheduled(let e):
            "\(e.workItemId) retry \(e.retryCount) at \(e.nextRetryAt?.iso8601 ?? "once"): \(Self.firstLine(e.error))"
        case .workItemFailed(let e): "\(e.workItemId) after \(e.retryCount) retries: \(Self.firstLine(e.error))"
        case .verificationRecorded(let e):
            "\(e.parentWorkItemId) verified by \(e.verificationWorkItemId): \(e.passed ? "passed" : "not passed")"
        case .workerSpawned(let e): "\(e.workerId) for \(e.workItemId) (\(e.mode.rawValue))"
        case .workerRegistered(let e): "\(e.workerId) for \(e.workItemId)" + (e.created ? " (created on register)" : "")
        case .heartbeatRecorded(let e):
            "\(e.workerId) iteration \(e.iteration)" + (e.status.map { " \($0)" } ?? "")
        case .workerCompleted(let e):
            "\(e.workerId) \(e.workItemId)" + (e.prUrl.map { " \($0)" } ?? "")
                + (e.verificationPassed.map { $0 ? " verification passed" : " verification not passed" } ?? "")
        case .workerFailed(let e): "\(e.workerId) iteration \(e.iteration): \(Self.firstLine(e.error))"
        case .workerStuck(let e): "\(e.workerId) after \(e.attempts) attempts: \(e.reason)"
        case .workerKilled(let e): "\(e.workerId): \(e.reason)"
        case .containerStarted(let e):
            "\(e.workerId) → \(e.containerId)" + (e.environment.map { " env \($0.joined(separator: ","))" } ?? "")
        case .workerSpawnFailed(let e): "\(e.workerId): \(e.reason)"
        case .containerStopped(let e):
            "\(e.workerId) " + (e.found ? "stopped" : "already gone")
                + (e.exitCode.map { ", exit \($0)" } ?? "") + ", \(e.logTail.count) log lines kept"
        case .containerStopFailed(let e): "\(e.workerId): \(e.reason)"
        case .workerLost(let e): "\(e.workerId): \(e.reason)"
        case .orphanContainerRemoved(let e):
            "\(e.containerName) (\(e.containerId.prefix(12)))" + (e.labelledWorkerId.map { ", labelled \($0)" } ?? "")
                + (e.exitCode.map { ", exit \($0)" } ?? "")
        case .accessRefused(let e):
            "\(e.route): \(e.reason)" + (e.targetWorkerId.map { ", for \($0)" } ?? "")
                + (e.presentedWorkerId.map { ", credential of \($0)" } ?? "")
        case .leaderElected(let e): "\(e.instance) leads, term \(e.term)"
        case .effectAbandoned(let e): "\(e.handler) gave up event \(e.sequence) after \(e.attempts) attempts: \(Self.firstLine(e.error))"
        case .locksAcquired(let e): "\(e.workerId) \(e.repo): \(e.paths.joined(separator: ", "))"
        case .locksReleased(let e): "\(e.workerId) \(e.locks.map(\.description).joined(separator: ", "))"
        case .configurationRecorded(let e):
            "maxWorkers \(e.lifecycle.maxWorkers), stale \(e.lifecycle.staleThresholdSeconds)s"
                + " (verification \(e.lifecycle.verificationStaleThresholdSeconds)s), cooldown \(e.lifecycle.cooldownSeconds)s,"
                + " budget \(e.lifecycle.dailyBudget)/day, retries \(e.lifecycle.maxRetries)"
                + " after \(e.lifecycle.retryBackoffSeconds.map { "\($0)s" }.joined(separator: "/"))"
                + ", cancel grace \(e.lifecycle.cancelGraceSeconds)s, end grace \(e.lifecycle.endGraceSeconds)s"
                + Self.optionalRules(e.lifecycle)
        }
    }

    /// The rules whim has no counterpart for, named only when set: jitter, non-retryable
    /// categories, attempt timeout, deadline.
    private static func optionalRules(_ rules: LifecycleConfiguration) -> String {
        var parts: [String] = []
        if rules.retryJitterPerMille > 0 { parts.append("jitter \(Thousandths.text(rules.retryJitterPerMille))") }
        if !rules.nonRetryableCategories.isEmpty {
            parts.append("not retried: \(rules.nonRetryableCategories.map(\.rawValue).joined(separator: ","))")
        }
        if rules.attemptTimeoutSeconds > 0 { parts.append("attempt timeout \(rules.attemptTimeoutSeconds)s") }
        if rules.deadlineSeconds > 0 { parts.append("deadline \(rules.deadlineSeconds)s") }
        return parts.map { ", " + $0 }.joined()
    }

    private static func firstLine(_ text: String) -> String {
        text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
    }
}
