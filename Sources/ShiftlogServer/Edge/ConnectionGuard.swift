import Metrics
import NIOCore
import NIOHTTP1

/// The deadlines and limits of one connection, first in its pipeline (it sees the bytes as they
/// arrive): a request's line and headers must arrive within the header timeout of its first
/// byte, its body within the body timeout of its headers, and its body must not pass the body
/// limit. A request that breaks one, is not HTTP/1.1, or is `CONNECT` gets an `EdgeAnswer`
/// and the connection closes; so does a connection past `MAX_CONNECTIONS`, at once.
///
/// It learns where each request stands from its `RequestWatcher`, which sits after the
/// HTTP/1.1 decoder. Hummingbird's `idleTimeout` closes a kept-alive connection that waits for
/// its next request; it cannot do the rest (see DESIGN.md, "The network edge").
///
/// Closing is lingering: after an answer the output is shut and what the client still sends is
/// read and dropped, until it closes or `Limits/linger` passes, so that the answer is not
/// lost to a reset.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// The bounds one connection is held to.
    struct Limits: Sendable {
        /// From a request's first byte to the end of its headers.
        var headerTimeout: Duration
        /// From the end of a request's headers to the end of its body.
        var bodyTimeout: Duration
        /// The most a body may hold.
        var maxBodyBytes: Int
        /// The most a request's line and headers may hold (Hummingbird's decoder's limit).
        var maxHeadBytes = 80 * 1024
        /// How long a closing connection keeps reading (and dropping) what the client sends.
        var linger: Duration = .seconds(2)
    }

    /// Where the reading of the current request stands.
    enum Reading {
        /// Between requests.
        case waiting
        /// Its first bytes have arrived, not yet all its headers.
        case head
        /// Its headers have arrived, not yet all its body.
        case body
        /// The connection was refused or is closing: nothing more is read or written.
        case closing
    }

    private let limits: Limits
    /// The answer to give as soon as the connection is up (it is one too many).
    private var refusal: EdgeAnswer?
    private(set) var reading = Reading.waiting
    private var context: ChannelHandlerContext?
    private var deadline: Scheduled<Void>?
    /// Whether a line end has arrived since the request's first byte, and how many bytes came
    /// before it (a request line over the limit is a 414, headers over it a 431).
    private var requestLineEnded = false
    private var requestLineBytes = 0
    private var bodyBytes = 0
    /// Requests passed on whose response has not ended.
    private var unanswered = 0
    /// A response has started and not ended.
    private var responding = false
    /// The response under way says `Connection: close`.
    private var closeAfterResponse = false
    /// Fails the request being read, so that a route reading its body gets an error, never a
    /// body cut short.
    weak var watcher: RequestWatcher?

    init(limits: Limits, refusal: EdgeAnswer? = nil) {
        self.limits = limits
        self.refusal = refusal
    }

    var isClosing: Bool { reading == .closing }

    // MARK: The channel

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { refuseIfOverLimit() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        refuseIfOverLimit()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch reading {
        case .closing:
            return  // dropped: the connection is closing
        case .waiting:
            reading = .head
            requestLineEnded = false
            requestLineBytes = 0
            schedule(after: limits.headerTimeout) { $0.refuse(.headerTimeout($0.limits.headerTimeout)) }
            fallthrough
        case .head:
            if !requestLineEnded {
                let bytes = unwrapInboundIn(data).readableBytesView
                if let end = bytes.firstIndex(of: 0x0A) {
                    requestLineEnded = true
                    requestLineBytes += bytes.distance(from: bytes.startIndex, to: end)
                } else {
                    requestLineBytes += bytes.count
                }
            }
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if reading == .closing, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Once the edge has answered, nothing else may be written after its answer.
        guard reading != .closing else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }

    // MARK: What the watcher reports

    /// A request's headers have arrived; whether to pass them on.
    func requestHead(_ head: HTTPRequestHead) -> Bool {
        cancelDeadline()
        if head.method == .CONNECT {
            refuse(.connectNotAllowed)
            return false
        }
        let lengths = head.headers[canonicalForm: "content-length"]
        if let length = lengths.first.flatMap({ Int($0) }), length > limits.maxBodyBytes {
            refuse(.bodyTooLarge)
            return false
        }
        reading = .body
        bodyBytes = 0
        unanswered += 1
        schedule(after: limits.bodyTimeout) { $0.refuse(.bodyTimeout($0.limits.bodyTimeout)) }
        return true
    }

    /// Part of a body has arrived; whether to pass it on.
    func requestBody(bytes: Int) -> Bool {
        bodyBytes += bytes
        guard bodyBytes <= limits.maxBodyBytes else {
            refuse(.bodyTooLarge)
            return false
        }
        return true
    }

    /// The request has arrived whole.
    func requestEnded() {
        cancelDeadline()
        reading = .waiting
    }

    /// The parser refused the request.
    func requestUnparseable(_ error: HTTPParserError) {
        let inRequestLine = reading == .head && (!requestLineEnded || requestLineBytes > limits.maxHeadBytes)
        refuse(.unparseable(error, inRequestLine: inRequestLine))
    }

    /// A response starts.
    func responseStarted(_ head: HTTPResponseHead) {
        responding = true
        closeAfterResponse = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
    }

    /// A response's end is being written (`written` succeeds once it is): after one that says
    /// `Connection: close`, the connection closes instead of reading the rest of the request.
    func responseEnded(written: EventLoopFuture<Void>) {
        responding = false
        unanswered -= 1
        guard closeAfterResponse, unanswered == 0, reading != .closing else { return }
        cancelDeadline()
        reading = .closing
        written.assumeIsolated().whenComplete { _ in self.closeLingering() }
    }

    // MARK: Refusing

    private func refuseIfOverLimit() {
        guard let refusal else { return }
        self.refusal = nil
        refuse(refusal)
    }

    /// Answers `answer` if the request being read has no answer under way (else only closes),
    /// fails that request upstream, and closes.
    private func refuse(_ answer: EdgeAnswer) {
        guard reading != .closing, let context else { return }
        cancelDeadline()
        Counter(label: "shiftlog_http_edge_refusals_total", dimensions: [("code", answer.code.description)]).increment()
        // The answer may be written only if no earlier request waits for its own and the
        // current one has none yet.
        let mayAnswer = !responding && unanswered == (reading == .body ? 1 : 0)
        let wasReadingBody = reading == .body
        reading = .closing
        if wasReadingBody { watcher?.failRequest(EdgeRefusal(answer: answer)) }
        guard mayAnswer else {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(answer.bytes(allocator: context.channel.allocator))))
            .assumeIsolated().whenComplete { _ in self.closeLingering() }
    }

    /// Shuts the output, then drops what arrives until the client closes or `linger` passes.
    private func closeLingering() {
        guard let context else { return }
        schedule(after: limits.linger) { $0.context?.close(promise: nil) }
        let shut = context.eventLoop.makePromise(of: Void.self)
        shut.futureResult.assumeIsolated().whenFailure { _ in self.context?.close(promise: nil) }
        context.close(mode: .output, promise: shut)
    }

    // MARK: Deadlines

    private func schedule(after delay: Duration, _ action: @escaping (ConnectionGuard) -> Void) {
        cancelDeadline()
        guard let context else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.deadline = nil
            action(self)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}

/// The error a request being read fails with when the edge refuses it (its body took too long
/// or is too large): the route reading the body gets it instead of a body cut short.
struct EdgeRefusal: Error, Sendable {
    var answer: EdgeAnswer
}
