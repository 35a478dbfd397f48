import Testing

/// Waits (at most `seconds`) for a condition on state that another engine changes; records an
/// issue if it never holds. Engines on a shared log learn of each other's events
/// asynchronously, so these tests wait on the state itself, never for a fixed time. The
/// deadline is a guard against a hang, generous because the full suite can keep Swift's
/// concurrency pool busy for seconds (the bounds a test asserts are measured, not waited).
func eventually(seconds: Double = 30, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("the condition did not hold within \(seconds) s")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
