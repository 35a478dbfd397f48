import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A TCP connection to the service that sends exactly the bytes a test gives it (a request no
/// HTTP client would send, or half of one) and keeps every byte the service sends back.
final class RawConnection: Sendable {
    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects to 127.0.0.1:`port`.
    /// Connects; with `first`, sends it the moment the connection is up, on the event loop, so
    /// that no deadline of the server's can end the connection before it arrives (sent after
    /// `open` returns, it raced a 300 ms header deadline on a loaded machine, and lost).
    static func open(port: Int, sending first: String? = nil) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Receiver(collector, first: first))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.closeFuture.whenComplete { _ in collector.closed() }
        return RawConnection(channel: channel, collector: collector)
    }

    /// Sends `text` as it is (its UTF-8 bytes).
    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Sends `bytes` as they are.
    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Everything the service sent, once it has closed the connection (or after `limit`, a
    /// bound only a failing test reaches: then `closed` is false).
    func untilClosed(within limit: Duration = .seconds(10)) async -> (text: String, closed: Bool) {
        await collector.wait(within: limit) { $0.closed }
        return collector.snapshot
    }

    /// What the service has sent once it has sent something (or closed, or `limit` passed).
    func untilFirstBytes(within limit: Duration = .seconds(10)) async -> (text: String, closed: Bool) {
        await collector.wait(within: limit) { !$0.bytes.isEmpty || $0.closed }
        return collector.snapshot
    }

    /// Whether the connection is still open.
    var isOpen: Bool { channel.isActive }

    /// Closes it from this side.
    func close() async {
        try? await channel.close()
    }

    /// The bytes received so far, whether the connection has closed, and who waits for which.
    final class Collector: Sendable {
        struct State {
            var bytes: [UInt8] = []
            var closed = false
            var waiters: [(condition: @Sendable (State) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        }

        private let state = Mutex(State())

        func append(_ buffer: ByteBuffer) { update { $0.bytes += buffer.readableBytesView } }
        func closed() { update { $0.closed = true } }

        var snapshot: (text: String, closed: Bool) {
            state.withLock { (String(decoding: $0.bytes, as: UTF8.self), $0.closed) }
        }

        /// Returns once `condition` holds, or after `limit`.
        func wait(within limit: Duration, until condition: @escaping @Sendable (State) -> Bool) async {
            let timer = Task {
                try? await Task.sleep(for: limit)
                self.expire()
            }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if condition(state) { return true }
                    state.waiters.append((condition, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
            timer.cancel()
        }

        private func update(_ change: (inout State) -> Void) {
            let ready = state.withLock { state in
                change(&state)
                let snapshot = state
                let ready = state.waiters.filter { $0.condition(snapshot) }.map(\.continuation)
                state.waiters.removeAll { waiter in waiter.condition(snapshot) }
                return ready
            }
            for continuation in ready { continuation.resume() }
        }

        /// Releases every waiter (its time is up).
        private func expire() {
            let all = state.withLock { state in
                defer { state.waiters = [] }
                return state.waiters.map(\.continuation)
            }
            for continuation in all { continuation.resume() }
        }
    }

    private final class Receiver: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let collector: Collector
        let first: String?
        init(_ collector: Collector, first: String?) {
            self.collector = collector
            self.first = first
        }
        func channelActive(context: ChannelHandlerContext) {
            if let first { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: first)), promise: nil) }
            context.fireChannelActive()
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { collector.append(unwrapInboundIn(data)) }
    }
}

/// An HTTP/1.1 response as bytes: its status, headers and body.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    /// Parses the first response in `text`; `nil` if there is none.
    init?(_ text: String) {
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        let rest = String(text[split.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init) {
            body = String(decoding: Array(rest.utf8).prefix(length), as: UTF8.self)
        } else {
            body = rest
        }
    }
}
