import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShiftlogCore

/// `drive-http`: the same kind of load as `drive`, through a running `shiftlog serve`:
/// management calls (add work, kill) and each worker's own calls (heartbeat, lock, unlock,
/// complete, fail, stuck) with the credentialed URL its process recorded, writing each
/// acknowledged answer (a 2xx) to this run's ack file. The service's loop spawns the workers.
/// Ends when the service stops answering (it was killed), or after `--seconds`.
struct DriveService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drive-http",
        abstract: "Load a running `shiftlog serve` over HTTP, recording every acknowledged answer.")

    @Option(help: "The harness folder the service writes (`--path <folder>/log`).")
    var path: String

    @Option(help: "The service's base URL.")
    var url: String

    @Option(help: "Concurrent callers.")
    var callers = 16

    @Option(help: "Seed of the call mix (default: random).")
    var seed: UInt64?

    @Option(help: "Stop after this many seconds (default: until the service stops answering).")
    var seconds: Double?

    /// The service is gone (refused or reset connections): the run is over.
    struct ServiceGone: Error {}

    func run() async throws {
        let folder = HarnessFolder(path: path)
        try folder.create()
        let acks = try AckFile(path: try folder.nextAckFile())
        let call = ServiceCall(client: .shared, base: url)
        // Wait for the service to answer (it may still be opening its log), then learn which
        // recorded workers are already over.
        var over: Set<String>?
        for _ in 0..<600 where over == nil {
            over = try? await call.endedWorkers()
            if over == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let over else { throw HarnessError("the service at \(url) never answered") }
        let workers = KnownWorkers(starts: folder.starts, over: over)
        workers.refresh()
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1_000)) }
        do {
            let acked = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    while deadline.map({ ContinuousClock.now < $0 }) ?? true {
                        workers.refresh()
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    return 0
                }
                for caller in 0..<callers {
                    group.addTask {
                        var load = ServiceLoad(seed: seed &+ UInt64(caller), tag: "\(seed % 100_000)-\(caller)")
                        var acked = 0
                        while deadline.map({ ContinuousClock.now < $0 }) ?? true {
                            if let line = try await load.step(call, workers) {
                                try acks.append(line)
                                acked += 1
                            }
                        }
                        return acked
                    }
                }
                return try await group.reduce(0, +)
            }
            print("drive-http: acknowledged=\(acked)")
        } catch is ServiceGone {
            print("drive-http: the service stopped answering")
        }
    }
}

/// One call to the service: the status and the JSON answer; ``DriveService/ServiceGone``
/// when the connection fails.
struct ServiceCall: Sendable {
    let client: HTTPClient
    let base: String

    func post(_ url: String, _ body: JSONValue, headers: [(String, String)] = []) async throws -> (status: UInt, answer: JSONValue?) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        return try await send(request)
    }

    func get(_ url: String) async throws -> (status: UInt, answer: JSONValue?) {
        try await send(HTTPClientRequest(url: url))
    }

    private func send(_ request: HTTPClientRequest) async throws -> (status: UInt, answer: JSONValue?) {
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 16 << 20)
            return (response.status.code, try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView)))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw DriveService.ServiceGone()
        }
    }

    /// The workers `GET /api/workers` lists as ended.
    func endedWorkers() async throws -> Set<String> {
        let (status, answer) = try await get(base + "/api/workers")
        guard status == 200, case .array(let workers)? = answer else { throw HarnessError("GET /api/workers: \(status)") }
        var over: Set<String> = []
        for case .object(let worker) in workers {
            guard case .string(let id)? = worker["id"], case .string(let status)? = worker["status"] else { continue }
            if status != "starting" && status != "running" { over.insert(id) }
        }
        return over
    }
}
