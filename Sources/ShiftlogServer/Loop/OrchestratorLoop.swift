import Logging
import ShiftlogCore
public import ServiceLifecycle
public import ShiftlogEngine

/// The orchestrator loop as a service: every `interval`, give up starts past their deadline,
/// stop workers whose cancel's grace ran out, mark elapsed end graces, kill stale workers, reconcile with the runtime (every `reconcileInterval`, and at the first
/// pass), then spawn for queued items while there is capacity.
///
/// Unlike whim's loop, a step that fails is logged and the others still run, the loop goes on,
/// no item is stranded in `assigned` (spawning takes the next item and spawns in one command),
/// and a pass that did something logs what it did. It stops at graceful shutdown. On a log
/// shared by several instances it runs only in the leader (ShiftlogEngine's `Engine.isLeading`).
public struct OrchestratorLoop: Service {
    let engine: Engine
    let interval: Duration
    let reconcileInterval: Duration?
    let logger: Logger

    /// A loop on `engine` that runs a pass every `interval` and reconciles every
    /// `reconcileInterval` (`nil`: never).
    public init(engine: Engine, interval: Duration, reconcileInterval: Duration?, logger: Logger) {
        self.engine = engine
        self.interval = interval
        self.reconcileInterval = reconcileInterval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await loop() }
        } catch is CancellationError {
            logger.info("orchestrator loop stopped")
        }
    }

    private func loop() async throws {
        let clock = ContinuousClock()
        var lastReconcile: ContinuousClock.Instant?
        while true {
            // On a shared log only the leader runs the loop; a new leader reconciles first,
            // adopting the containers its predecessor started.
            guard engine.isLeading else {
                lastReconcile = nil
                try await Task.sleep(for: interval)
                continue
            }
            let reconcile = reconcileInterval.map { every in lastReconcile.map { $0.duration(to: clock.now) >= every } ?? true } ?? false
            if reconcile { lastReconcile = clock.now }
            await pass(reconcile: reconcile)
            try await Task.sleep(for: interval)
        }
    }

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        /// Workers whose start was given up past its deadline.
        public var expired: [String] = []
        /// Stale workers killed.
        public var killed: [String] = []
        /// Workers stopped because their cancel's grace ran out.
        public var cancelStopped: [String] = []
        /// Workers whose end grace elapsed (their container stopped if it still ran).
        public var endGraces: [String] = []
        /// Items ended because their deadline passed.
        public var pastDeadline: [String] = []
        /// Workers killed because they ran past their item's attempt timeout.
        public var timedOut: [String] = []
        /// Workers reconciliation found without their container.
        public var lost: [String] = []
        /// Orphan containers reconciliation removed.
        public var orphans: [String] = []
        /// Workers spawned for queued items.
        public var spawned: [String] = []
        /// The steps that failed, each as `<step>: <error>`.
        public var failures: [String] = []

        /// Whether the pass changed anything or had a failure: what makes it worth a log line.
        public var didSomething: Bool {
            !(expired.isEmpty && killed.isEmpty && cancelStopped.isEmpty && endGraces.isEmpty && pastDeadline.isEmpty
                && timedOut.isEmpty && lost.isEmpty && orphans.isEmpty
                && spawned.isEmpty && failures.isEmpty)
        }
    }

    /// One pass; each step runs whatever the others did.
    @discardableResult
    public func pass(reconcile: Bool) async -> Pass {
        var pass = Pass()
        do { pass.expired = try await engine.expireStarts().map(\.id) } catch { pass.failures.append("expire starts: \(error)") }
        do { pass.cancelStopped = try await engine.expireCancelGraces().map(\.id) } catch { pass.failures.append("cancel graces: \(error)") }
        do { pass.endGraces = try await engine.expireEndGraces() } catch { pass.failures.append("end graces: \(error)") }
        do { pass.pastDeadline = try await engine.expireDeadlines() } catch { pass.failures.append("deadlines: \(error)") }
        do { pass.timedOut = try await engine.expireAttempts().map(\.id) } catch { pass.failures.append("attempt timeouts: \(error)") }
        do { pass.killed = try await engine.killStale().map(\.id) } catch { pass.failures.append("kill stale: \(error)") }
        if reconcile {
            do {
                let report = try await engine.reconcile()
                pass.lost = report.lost
                pass.orphans = report.orphansRemoved
            } catch { pass.failures.append("reconcile: \(error)") }
        }
        do { pass.spawned = try await engine.spawnReady().map(\.id) } catch { pass.failures.append("spawn: \(error)") }
        if !pass.failures.isEmpty {
            logger.error("loop pass had failures", metadata: ["failures": "\(pass.failures)"])
        }
        if pass.didSomething {
            logger.info(
                "loop pass",
                metadata: [
                    "expired": "\(pass.expired)", "killed": "\(pass.killed)", "cancelStopped": "\(pass.cancelStopped)",
                    "endGraces": "\(pass.endGraces)", "pastDeadline": "\(pass.pastDeadline)", "timedOut": "\(pass.timedOut)", "lost": "\(pass.lost)",
                    "orphans": "\(pass.orphans)", "spawned": "\(pass.spawned)",
                ])
        }
        return pass
    }
}
