import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 child channel with the service's edge around it: every accepted
/// connection is counted, and gets a `ConnectionGuard` first in its pipeline and a
/// `RequestWatcher` right after the HTTP/1.1 decoder. Requests are then handled by
/// Hummingbird as usual.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: ConnectionGuard.Limits
    let connections: ConnectionCount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = connections.open()
        let connections = self.connections
        channel.closeFuture.whenComplete { _ in connections.close() }
        let limits = self.limits
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let connection = ConnectionGuard(limits: limits, refusal: admitted ? nil : .tooManyConnections)
            try pipeline.addHandler(connection, position: .first)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestWatcher(connection), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the service's edge: `settings`' timeouts and connection limit, and
    /// bodies up to `maxBodyBytes`.
    static func guardedHTTP1(settings: ServerSettings, maxBodyBytes: Int) -> HTTPServerBuilder {
        let limits = ConnectionGuard.Limits(
            headerTimeout: settings.requestHeaderTimeout, bodyTimeout: settings.requestBodyTimeout, maxBodyBytes: maxBodyBytes)
        let connections = ConnectionCount(maximum: settings.maxConnections)
        let idleTimeout = TimeAmount(settings.idleTimeout)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                http1: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idleTimeout)),
                limits: limits, connections: connections)
        }
    }
}
