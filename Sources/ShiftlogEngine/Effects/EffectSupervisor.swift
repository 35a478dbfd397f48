import CoreMetrics
import Logging
import ShiftlogCore
import ShiftlogStore
import Synchronization

/// Runs the effects (the handlers, from their checkpoints, and periodic reconciliation) while
/// this instance leads.
///
/// On a log one process writes it always leads: the effects start at once and run until the
/// engine closes. On a shared log it campaigns through the store's ``LeaderElection``; once
/// elected it records `leaderElected` (the next term, decided in the writer), starts the
/// effects in that term, and stops them as soon as the lease is lost, then campaigns again.
/// Every outcome carries the term, and the writer refuses it once a newer term is recorded.
final class EffectSupervisor: Sendable {
    struct Setup: Sendable {
        var handlers: [any EffectHandler]
        var log: any EventStore
        var writer: CommandWriter
        var runtime: any ContainerRuntime
        var configuration: EngineConfiguration
        var reconcile: Bool
        var logger: Logger
        var metrics: any MetricsFactory
    }

    private struct Term {
        var number: UInt64?
        var runners: [HandlerRunner] = []
        var tasks: [Task<Void, Never>] = []
    }

    private let setup: Setup
    private let election: (any LeaderElection)?
    /// The term running now; `nil` while this instance does not lead.
    private let current = Mutex<Term?>(nil)
    /// The runners of the last term that ended, for their final status.
    private let ended = Mutex<[HandlerRunner]>([])
    private let campaign = Mutex<Task<Void, Never>?>(nil)

    init(_ setup: Setup, election: (any LeaderElection)?) {
        self.setup = setup
        self.election = election
    }

    /// Starts the effects now (no election) or the campaign for them.
    func start() throws {
        guard let election else {
            try begin(term: nil)
            return
        }
        campaign.withLock { $0 = Task { await self.campaign(election) } }
    }

    /// Whether this instance runs the effects now: it holds a term, and no newer term is
    /// recorded (a deposed leader knows from the log before its lease says so).
    var isLeading: Bool {
        guard let term = current.withLock({ $0 }) else { return false }
        guard let number = term.number, let recorded = setup.writer.current.leadership else { return true }
        return recorded.term == number
    }

    /// The term this instance leads in; `nil` when it does not lead, or needs no election.
    var term: UInt64? { isLeading ? current.withLock { $0?.number } : nil }

    /// The runners of the term running now; while this instance does not lead, those of the
    /// last term it led (stopped), so that their final status stays visible.
    var runners: [HandlerRunner] {
        current.withLock { $0?.runners } ?? ended.withLock { $0 }
    }

    /// Stops the campaign and the effects; returns once their tasks have ended.
    func stop() async {
        let task = campaign.withLock { $0 }
        task?.cancel()
        await task?.value
        await end()
    }

    // MARK: Terms

    private func begin(term: UInt64?) throws {
        let checkpoints = try setup.log.checkpoints()
        let setup = self.setup
        let runners = setup.handlers.map {
            HandlerRunner(
                handler: $0, log: setup.log, writer: setup.writer, checkpoint: checkpoints[$0.name] ?? 0,
                policy: setup.configuration.effectRetry, checkpointInterval: setup.configuration.handlerCheckpointInterval, term: term, logger: setup.logger, metrics: setup.metrics)
        }
        var tasks = runners.map { runner in Task { await runner.run() } }
        if setup.reconcile, let interval = setup.configuration.reconcileInterval {
            tasks.append(Task {
                await Reconciliation.runForever(
                    every: interval, runtime: setup.runtime, writer: setup.writer, configuration: setup.configuration,
                    term: term, logger: setup.logger)
            })
        }
        current.withLock { $0 = Term(number: term, runners: runners, tasks: tasks) }
    }

    private func end() async {
        let ending = current.withLock { current in
            defer { current = nil }
            return current
        }
        guard let ending else { return }
        ended.withLock { $0 = ending.runners }
        for task in ending.tasks { task.cancel() }
        for task in ending.tasks { await task.value }
    }

    private func campaign(_ election: any LeaderElection) async {
        let logger = setup.logger
        while !Task.isCancelled {
            let lease: any LeaderLease
            do {
                lease = try await election.campaign()
            } catch {
                if Task.isCancelled { return }
                logger.warning("cannot campaign for the leadership", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            do {
                let result = try await setup.writer.submit(.electLeader(instance: election.instance))
                guard case .leaderElected(let elected)? = result.events.first?.event else {
                    throw EngineError(.storage, "electLeader recorded no leaderElected event")
                }
                try begin(term: elected.term)
                logger.notice("leading: the loop, reconciliation and effects run here", metadata: [
                    "instance": "\(election.instance)", "term": "\(elected.term)",
                ])
                await lease.lost()
                await end()
                if !Task.isCancelled {
                    logger.warning("lost the leadership: effects stopped", metadata: ["term": "\(elected.term)"])
                }
            } catch {
                logger.warning("cannot take up the leadership", metadata: ["error": "\(error)"])
                await end()
                lease.resign()
                // Let another instance try before campaigning again.
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            lease.resign()
        }
    }
}
