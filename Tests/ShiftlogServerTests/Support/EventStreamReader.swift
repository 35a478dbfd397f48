import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShiftlogCore
import Synchronization

/// A client of `GET /api/events` over the socket: it parses the body into messages as it
/// arrives (in a task of its own, once ``startReading()`` is called), and lets a test wait
/// for a number of messages, or for the stream's end, with a timeout.
final class EventStreamReader: Sendable {
    struct Message: Sendable, Equatable {
        var id: String?
        var event: String?
        var data: String
    }

    let status: Int
    let headers: HTTPHeaders
    private let response: Mutex<HTTPClientResponse?>
    private let received = Mutex<(messages: [Message], comments: Int, end: String?)>(([], 0, nil))
    private let count = ProgressSignal()
    private let commentCount = ProgressSignal()
    private let ended = ProgressSignal()
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Opens the stream; reading begins with ``startReading()``.
    init(_ service: RunningService, _ path: String, headers: [(String, String)] = []) async throws {
        var request = HTTPClientRequest(url: service.baseURL + path)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        status = Int(response.status.code)
        self.headers = response.headers
        self.response = Mutex(response)
    }

    deinit { task.withLock { $0 }?.cancel() }

    /// Starts taking the body off the socket; until then the client reads nothing.
    func startReading() {
        guard let response = response.withLock({ $0.take() }) else { return }
        let task = Task {
            var pending = ""
            do {
                for try await chunk in response.body {
                    pending += String(buffer: chunk)
                    while let blank = pending.range(of: "\n\n") {
                        parse(block: String(pending[..<blank.lowerBound]))
                        pending.removeSubrange(..<blank.upperBound)
                    }
                }
                finish("end of body")
            } catch {
                finish("\(error)")
            }
        }
        self.task.withLock { $0 = task }
    }

    var messages: [Message] { received.withLock { $0.messages } }
    var comments: Int { received.withLock { $0.comments } }
    /// How the body ended (its end, or the error), once it has.
    var end: String? { received.withLock { $0.end } }

    /// Waits until `n` messages have arrived; false after `timeout`.
    func waitForMessages(_ n: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await count.wait(until: UInt64(n), timeout: timeout) == .reached
    }

    /// Waits until `n` comment lines (keep-alives) have arrived; false after `timeout`.
    func waitForComments(_ n: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await commentCount.wait(until: UInt64(n), timeout: timeout) == .reached
    }

    /// Waits until the body has ended; false after `timeout`.
    func waitForEnd(timeout: Duration = .seconds(10)) async -> Bool {
        await ended.wait(until: 1, timeout: timeout) == .reached
    }

    private func parse(block: String) {
        var message = Message(data: "")
        var data: [String] = []
        var isComment = true
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { continue }
            isComment = false
            let (name, value) = line.firstIndex(of: ":").map {
                (String(line[..<$0]), String(line[line.index(after: $0)...].drop(while: { $0 == " " })))
            } ?? (String(line), "")
            switch name {
            case "id": message.id = value
            case "event": message.event = value
            case "data": data.append(value)
            default: break
            }
        }
        message.data = data.joined(separator: "\n")
        let (messages, comments) = received.withLock { received in
            if isComment { received.comments += 1 } else { received.messages.append(message) }
            return (received.messages.count, received.comments)
        }
        count.advance(to: UInt64(messages))
        commentCount.advance(to: UInt64(comments))
    }

    private func finish(_ how: String) {
        received.withLock { $0.end = how }
        ended.advance(to: 1)
    }
}
