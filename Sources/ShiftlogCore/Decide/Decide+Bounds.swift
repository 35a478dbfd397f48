extension Command {
    /// Refuses a command holding a number outside ``NumericBounds``: the first check
    /// ``decide(_:state:context:)`` makes, so an out-of-range number is refused whatever the
    /// state, and appends nothing.
    func checkNumericBounds() throws(LifecycleError) {
        typealias Bounds = NumericBounds
        switch self {
        case .addWorkItem(let item):
            try item.checkBounds()
        case .heartbeat(_, let beat):
            try Bounds.check(beat.iteration, in: Bounds.iteration, "iteration")
            try Bounds.check(beat.tokensIn, in: Bounds.tokens, "tokensIn")
            try Bounds.check(beat.tokensOut, in: Bounds.tokens, "tokensOut")
        case .complete(_, let completion):
            try Bounds.check(completion.prNumber, in: Bounds.prNumber, "prNumber")
            if let metrics = completion.metrics { try metrics.checkNumericBounds() }
        case .fail(_, let failure):
            try Bounds.check(failure.iteration, in: Bounds.iteration, "iteration")
        case .stuck(_, _, let attempts):
            try Bounds.check(attempts, in: Bounds.attempts, "attempts")
        case .expireStart(_, let deadline):
            try Bounds.check(deadline, in: ShiftlogSettings.startDeadlineSeconds.range, "deadlineSeconds")
        case .recordContainerStopped(_, _, _, let exitCode, _):
            try Bounds.check(exitCode, in: Bounds.exitCode, "exitCode")
        case .recordOrphanRemoved(let orphan):
            try Bounds.check(orphan.exitCode, in: Bounds.exitCode, "exitCode")
        case .recordContainerExited(_, _, let exitCode, _):
            try Bounds.check(exitCode, in: Bounds.exitCode, "exitCode")
        case .assignNext, .cancelWorkItem, .cancelWorkItems, .expireCancelGrace, .expireEndGrace, .requeueWorkItem,
            .retryWorkItem, .changePriority, .expireAttempt, .expireDeadline, .spawn, .spawnNext, .register, .kill, .killIfStale, .acquireLocks,
            .releaseLocks, .releaseAllLocks, .recordContainerStarted, .recordSpawnFailure, .recordStopFailure,
            .recordWorkerLost, .recordConfiguration, .recordAccessRefused, .recordEffectAbandoned, .electLeader:
            return
        }
    }
}

extension NewWorkItem {
    /// Refuses an add holding a number out of its range (`maxIterations`, the policy's):
    /// what `decide` checks first, for a caller that answers a repeated add (its
    /// `Idempotency-Key`) without deciding it, so that a bad body is refused either way.
    public func checkBounds() throws(LifecycleError) {
        try NumericBounds.check(maxIterations, in: 1...NumericBounds.iteration.upperBound, "maxIterations")
        try policy?.checkBounds()
    }
}

extension WorkerMetrics {
    func checkNumericBounds() throws(LifecycleError) {
        typealias Bounds = NumericBounds
        try Bounds.check(tokensIn, in: Bounds.tokens, "metrics.tokensIn")
        try Bounds.check(tokensOut, in: Bounds.tokens, "metrics.tokensOut")
        try Bounds.check(duration, in: Bounds.durationMilliseconds, "metrics.duration")
        try Bounds.check(filesModified, in: Bounds.count, "metrics.filesModified")
        try Bounds.check(testsRun, in: Bounds.count, "metrics.testsRun")
        try Bounds.check(testsPassed, in: Bounds.count, "metrics.testsPassed")
        try Bounds.check(testsFailed, in: Bounds.count, "metrics.testsFailed")
    }
}

extension LifecycleConfiguration {
    /// Refuses rules outside their settings' ranges (``ShiftlogSettings``). Checked when the
    /// engine records its rules (``Command/recordConfiguration``).
    public func checkNumericBounds() throws(LifecycleError) {
        typealias Bounds = NumericBounds
        typealias Settings = ShiftlogSettings
        try Bounds.check(maxWorkers, in: Settings.maxWorkers.range, "maxWorkers")
        try Bounds.check(cooldownSeconds, in: Settings.cooldownSeconds.range, "cooldownSeconds")
        try Bounds.check(dailyBudget, in: Settings.dailyBudget.range, "dailyBudget")
        try Bounds.check(staleThresholdSeconds, in: Settings.staleThreshold.range, "staleThresholdSeconds")
        try Bounds.check(
            verificationStaleThresholdSeconds, in: Settings.verificationStaleThreshold.range,
            "verificationStaleThresholdSeconds")
        try Bounds.check(maxRetries, in: Settings.maxRetries.range, "maxRetries")
        for backoff in retryBackoffSeconds {
            try Bounds.check(backoff, in: Settings.retryBackoffSeconds.elementRange(), "retryBackoffSeconds")
        }
        try Bounds.check(verificationMaxRetries, in: Settings.verificationMaxRetries.range, "verificationMaxRetries")
        try Bounds.check(defaultMaxIterations, in: Settings.maxIterationsDefault.range, "defaultMaxIterations")
        try Bounds.check(cancelGraceSeconds, in: Settings.cancelGraceSeconds.range, "cancelGraceSeconds")
        try Bounds.check(endGraceSeconds, in: Settings.endGraceSeconds.range, "endGraceSeconds")
        try Bounds.check(retryJitterPerMille, in: Settings.retryJitter.range, "retryJitterPerMille")
        try Bounds.check(attemptTimeoutSeconds, in: Settings.attemptTimeoutSeconds.range, "attemptTimeoutSeconds")
        try Bounds.check(deadlineSeconds, in: Settings.deadlineSeconds.range, "deadlineSeconds")
    }
}
