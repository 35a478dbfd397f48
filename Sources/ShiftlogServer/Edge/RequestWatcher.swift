import NIOCore
import NIOHTTP1

/// Tells the `ConnectionGuard` where each request and response stands. It sits right after
/// the HTTP/1.1 decoder, so it sees the parser's errors first (and has them answered as JSON)
/// and can hold back a request the guard refuses (`CONNECT`, a `Content-Length` over the limit)
/// before any route sees it.
final class RequestWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: ConnectionGuard
    private var context: ChannelHandlerContext?

    init(_ connection: ConnectionGuard) {
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        connection.watcher = self
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !connection.isClosing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard connection.requestHead(head) else { return }
        case .body(let bytes):
            guard connection.requestBody(bytes: bytes.readableBytes) else { return }
        case .end:
            connection.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { connection.requestUnparseable(error) }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            connection.responseStarted(head)
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.write(data, promise: written)
            connection.responseEnded(written: written.futureResult)
        }
    }

    /// Fails the request being read: the route reading its body gets `error`.
    func failRequest(_ error: any Error) {
        context?.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension RequestWatcher: Sendable {}
