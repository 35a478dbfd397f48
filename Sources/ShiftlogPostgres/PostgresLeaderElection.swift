import Logging
import NIOCore
import PostgresNIO
public import ShiftlogStore
import Synchronization

/// The leader of the instances sharing a PostgreSQL log: whoever holds a session-level
/// advisory lock (keyed by the log's schema) on a connection of its own.
///
/// PostgreSQL releases the lock when that session ends: at once when the leader's process
/// dies (its socket closes), within the TCP keepalive settings below when its host or network
/// goes silent. A candidate tries to take the lock every ``Options/retryInterval``; a leader
/// checks its session every ``Options/checkInterval`` and gives up the leadership when a check
/// fails or takes longer than ``Options/checkTimeout``. A takeover therefore happens within
/// about `retryInterval` after the old leader's session ends, and a leader cut off from the
/// database stops acting within `checkInterval + checkTimeout`; what it may still submit in
/// between is refused by the writer once the new term is recorded (fencing).
public struct PostgresLeaderElection: LeaderElection {
    /// How often a candidate tries and a leader checks.
    public struct Options: Sendable {
        /// How long a candidate waits between two tries to take the lock.
        public var retryInterval: Duration = .seconds(1)
        /// How long a leader waits between two checks of its session.
        public var checkInterval: Duration = .seconds(1)
        /// How long a check may take before the leader gives the leadership up.
        public var checkTimeout: Duration = .seconds(2)

        /// 1 s between tries, 1 s between checks, 2 s for a check.
        public init() {}

        /// `interval` between tries and between checks, twice that (but at least a second) for
        /// a check: a leader whose process dies is replaced about `interval` later, and one cut
        /// off from the database stops acting within `interval` plus the check's time. The
        /// floor keeps a short interval from deposing a leader whose database is merely slow
        /// for a moment. (A host that goes silent is noticed by the server within its TCP
        /// keepalives, 5 s, whatever the interval.)
        public init(interval: Duration) {
            retryInterval = interval
            checkInterval = interval
            checkTimeout = max(interval * 2, .seconds(1))
        }
    }

    /// This instance's name, as `leaderElected` events record it.
    public let instance: String
    let location: PostgresLocation
    let options: Options
    let logger: Logger

    /// An election among the instances sharing the log at `location`, this one named `instance`.
    public init(location: PostgresLocation, instance: String, options: Options = Options(), logger: Logger) {
        self.location = location
        self.instance = instance
        self.options = options
        self.logger = logger
    }

    /// Tries to take the advisory lock every ``Options/retryInterval`` until it holds it, then
    /// returns the lease, which checks the session every ``Options/checkInterval``.
    public func campaign() async throws -> any LeaderLease {
        while true {
            try Task.checkCancellation()
            do {
                // The server notices a silent peer within idle + interval × count seconds; set
                // at start-up, so that a try costs one round trip after the connection's own.
                var configuration = PostgresSession.configuration(location)
                configuration.options.additionalStartupParameters = [
                    ("tcp_keepalives_idle", "2"), ("tcp_keepalives_interval", "1"), ("tcp_keepalives_count", "3"),
                ]
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                do {
                    while true {
                        // Won, the session is named in the same statement: an operator finds
                        // the leader's session in pg_stat_activity by this name.
                        let won = try await Self.ask(
                            connection,
                            """
                            SELECT CASE WHEN pg_try_advisory_lock(hashtext(\(lockName)))
                                THEN set_config('application_name', \(lockName), false) IS NOT NULL
                                ELSE false END
                            """,
                            options.checkTimeout, logger)
                        if won.first.flatMap({ try? $0.decode(Bool.self) }) == true {
                            return PostgresLeaderLease(connection: connection, options: options, logger: logger)
                        }
                        try await Task.sleep(for: options.retryInterval)
                    }
                } catch {
                    PostgresSession.closeSoon(connection)
                    throw error
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                logger.warning("leader election: cannot reach the database", metadata: [
                    "store": "\(location)", "error": "\(PostgresSession.describe(error))",
                ])
                try await Task.sleep(for: options.retryInterval)
            }
        }
    }

    /// Runs one query on the election's connection and collects its rows, giving up after
    /// `timeout`: a query on a connection that the server has closed may otherwise never end.
    /// On a timeout the connection is closed, and the query fails.
    ///
    /// The race between the answer and the deadline is decided on the connection's event loop,
    /// not on Swift's task pool: a pool kept busy for seconds (a loaded suite, a burst of
    /// requests) delays only when the caller hears the outcome, never which one won. Timed by
    /// a task sleeping on the pool, an answer that came in time could lose to a late wake-up,
    /// and a loaded machine saw leaders step down again and again, none elected within 30 s.
    static func ask(
        _ connection: PostgresConnection, _ query: PostgresQuery, _ timeout: Duration, _ logger: Logger
    ) async throws -> [PostgresRow] {
        guard !connection.isClosed else { throw PostgresElectionError.sessionClosed }
        let eventLoop = connection.eventLoop
        let outcome = eventLoop.makePromise(of: [PostgresRow].self)
        // Both outcomes run on the event loop, one after the other: the first one settles.
        let settled = NIOLoopBoundBox.makeBoxSendingValue(false, as: Bool.self, eventLoop: eventLoop)
        let (seconds, attoseconds) = timeout.components
        let deadline = eventLoop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
            guard !settled.value else { return }
            settled.value = true
            PostgresSession.closeSoon(connection)
            outcome.fail(PostgresElectionError.timedOut)
        }
        connection.query(query, logger: logger).whenComplete { result in
            guard !settled.value else { return }
            settled.value = true
            deadline.cancel()
            outcome.completeWith(result.map(\.rows))
        }
        return try await outcome.futureResult.get()
    }

    /// The advisory lock's name (its hash is the key), and the leader session's
    /// `application_name`. Schema names are checked (letters, digits, `_`), so it quotes safely.
    var lockName: String { "shiftlog leader \(location.schema)" }
}

/// The leadership held through one session's advisory lock.
final class PostgresLeaderLease: LeaderLease {
    private let connection: PostgresConnection
    private let options: PostgresLeaderElection.Options
    private let logger: Logger
    private let resigned = Atomic(false)

    init(connection: PostgresConnection, options: PostgresLeaderElection.Options, logger: Logger) {
        self.connection = connection
        self.options = options
        self.logger = logger
    }

    deinit { resign() }

    func lost() async {
        while !Task.isCancelled, !resigned.load(ordering: .acquiring) {
            do {
                try await Task.sleep(for: options.checkInterval)
            } catch {
                return
            }
            guard await check() else { return }
        }
    }

    func resign() {
        // Closing the session releases its advisory lock.
        guard !resigned.exchange(true, ordering: .acquiringAndReleasing) else { return }
        PostgresSession.closeSoon(connection)
    }

    /// Whether the session still answers within the timeout.
    private func check() async -> Bool {
        do {
            _ = try await PostgresLeaderElection.ask(connection, "SELECT 1", options.checkTimeout, logger)
            return true
        } catch {
            logger.warning("leader election: the session broke", metadata: ["error": "\(PostgresSession.describe(error))"])
            return false
        }
    }
}

/// Why the election's session was given up.
enum PostgresElectionError: Error, CustomStringConvertible {
    case sessionClosed, timedOut

    var description: String {
        switch self {
        case .sessionClosed: "the session is closed"
        case .timedOut: "the session did not answer in time"
        }
    }
}
