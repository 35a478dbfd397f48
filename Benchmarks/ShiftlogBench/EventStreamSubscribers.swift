import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Clients of `GET /api/events` that read and discard what they are sent, counting the bytes:
/// the streams a console or a tail opens, catching up on a long log while the bench measures
/// something else.
final class EventStreamSubscribers: Sendable {
    private let client: HTTPClient
    private let tasks: Mutex<[Task<Void, Never>]>
    private let bytes = Atomic<Int>(0)

    private init(client: HTTPClient) {
        self.client = client
        tasks = Mutex([])
    }

    /// Opens `count` streams on `url`; returns once each has its answer's head.
    static func start(_ count: Int, url: String) async throws -> EventStreamSubscribers {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count
        let subscribers = EventStreamSubscribers(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
        let (opened, continuation) = AsyncStream.makeStream(of: Bool.self)
        for _ in 0..<count {
            let task = Task { [client = subscribers.client, bytes = subscribers] in
                do {
                    let response = try await client.execute(HTTPClientRequest(url: url), timeout: .hours(1))
                    continuation.yield(response.status == .ok)
                    for try await chunk in response.body { bytes.count(chunk.readableBytes) }
                } catch {
                    continuation.yield(false)
                }
            }
            subscribers.tasks.withLock { $0.append(task) }
        }
        var open = 0
        for await ok in opened {
            guard ok else { throw BenchFailure("an event stream did not open") }
            open += 1
            if open == count { break }
        }
        return subscribers
    }

    private func count(_ n: Int) { bytes.add(n, ordering: .relaxed) }

    /// Closes every stream and the client; returns the bytes read in all.
    func stop() async -> Int {
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        for task in running { await task.value }
        try? await client.shutdown()
        return bytes.load(ordering: .relaxed)
    }
}

extension EventStreamSubscribers {
    /// `count` streams of `url` in a process of their own (this executable with `--subscribe`),
    /// as a console's or a tail's streams come from other machines: their reading costs the
    /// server's process nothing but the serving.
    final class Apart: Sendable {
        private let process: Process
        private let output: FileHandle

        private init(process: Process, output: FileHandle) {
            self.process = process
            self.output = output
        }

        /// Starts the process; returns once every stream has its answer's head.
        static func start(_ count: Int, url: String) throws -> Apart {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            process.arguments = ["--subscribe", url, "--streams", String(count)]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let apart = Apart(process: process, output: out.fileHandleForReading)
            guard apart.line().hasPrefix("subscribed") else {
                process.terminate()
                throw BenchFailure("the subscribers' process did not open its streams")
            }
            return apart
        }

        /// Stops the streams (SIGTERM); the bytes they read in all.
        func stop() -> Int {
            process.terminate()
            let read = Int(line().split(separator: " ").last ?? "") ?? 0
            process.waitUntilExit()
            return read
        }

        /// One line of the process's output (a bench harness may block for it).
        private func line() -> String {
            var bytes: [UInt8] = []
            while true {
                let byte = output.readData(ofLength: 1)
                guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
                bytes.append(first)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// `--subscribe URL --streams N`: opens the streams, says `subscribed N`, reads until
    /// SIGTERM, then says `read BYTES` and returns.
    static func subscribe(url: String, streams: Int) async throws {
        signal(SIGTERM, SIG_IGN)
        let (terminated, continuation) = AsyncStream.makeStream(of: Void.self)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM)
        source.setEventHandler { continuation.finish() }
        source.resume()
        let subscribers = try await start(streams, url: url)
        FileHandle.standardOutput.write(Data("subscribed \(streams)\n".utf8))
        for await _ in terminated {}
        source.cancel()
        let read = await subscribers.stop()
        FileHandle.standardOutput.write(Data("read \(read)\n".utf8))
    }
}
