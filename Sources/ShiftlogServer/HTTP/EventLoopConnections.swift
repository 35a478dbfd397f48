import HummingbirdCore
import Logging
import NIOCore

/// HTTP/1 connections whose request handling runs on the connection's own event loop.
///
/// Hummingbird runs each connection in a task on Swift's global pool: the event loop reads a
/// request and wakes a pool thread, the handler submits a command to the writer's queue, the
/// writer's answer wakes a pool thread again, and the answer is handed back to the event loop
/// to be written. On 2 cores those hops, not the parsing, were most of a request's cost
/// (Benchmarks/README.md, "The HTTP path"). Here each connection's task prefers its channel's
/// event loop as its executor (`withTaskExecutorPreference`), so a request is read, handled
/// and answered on that one thread; the only hops left are to the writer and back.
///
/// A handler must therefore never block: everything the routes await (the body, the writer's
/// answer) suspends, and the writer's fsync happens on its own queue. The two routes that read
/// files or long stretches of the log (a worker's output, the event stream) move that work to
/// Swift's global pool with ``offTheEventLoop(_:)``.
struct EventLoopConnections<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// Runs `body` on Swift's global pool rather than on the connection's event loop: for work that
/// reads files or long stretches of the log, which must not hold up the loop's other connections.
func offTheEventLoop<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Failure) -> T {
    try await withTaskExecutorPreference(globalConcurrentExecutor, operation: body)
}

extension HTTPServerBuilder {
    /// HTTP/1 with every connection handled on its own event loop (``EventLoopConnections``).
    static var http1OnEventLoops: HTTPServerBuilder {
        HTTPServerBuilder { responder in EventLoopConnections(base: HTTP1Channel(responder: responder)) }
    }
}

/// A `TaskExecutor` that runs jobs on one NIO event loop: a job enqueued from the loop's own
/// thread runs in the same loop iteration, without waking any other thread.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
