import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ShiftlogRuntimes

/// A stand-in for a sick Docker daemon on a Unix socket: it answers `/version` like Docker
/// 20.10, and every other call with a 500 or never at all. The faults a real daemon cannot be
/// made to show on demand.
final class FakeDockerDaemon: Sendable {
    enum Behaviour: Sendable {
        case fail500
        case hang
    }

    /// Where it listens: a Unix socket, or TCP on 127.0.0.1 with a port of the system's choice.
    let endpoint: DockerEndpoint
    private let channel: any Channel

    init(_ behaviour: Behaviour, tcp: Bool = false) async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(behaviour: behaviour))
                }
            }
        if tcp {
            channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            endpoint = DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: channel.localAddress?.port ?? 0))
        } else {
            let path = NSTemporaryDirectory() + "fake-docker-\(UUID().uuidString.prefix(8)).sock"
            channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            endpoint = DockerEndpoint(transport: .unixSocket(path: path))
        }
    }

    func stop() async {
        try? await channel.close()
        if case .unixSocket(let path) = endpoint.transport { try? FileManager.default.removeItem(atPath: path) }
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let behaviour: Behaviour

        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            if head.uri.hasSuffix("/version") {
                respond(context, .ok, #"{"Version":"20.10.24-fake","ApiVersion":"1.41","MinAPIVersion":"1.12"}"#)
            } else if case .fail500 = behaviour {
                respond(context, .internalServerError, #"{"message":"simulated daemon failure"}"#)
            }  // .hang: never answer
        }

        private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: String) {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
