import Foundation
import NIOHTTP1
import ShiftlogEngine
import SnapshotTesting
import ShiftlogServer
import Testing

/// A list of requests sent in order, each with the status it must get, written out with the
/// bodies it got as a golden transcript under `Fixtures/HTTP/<name>.txt`. The statuses are
/// checked in code, so the golden file is never the only thing pinning a rule. Re-record with
/// `SNAPSHOT_TESTING_RECORD=all swift test`; CI never records.
struct Transcript {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/HTTP")

    private(set) var text = ""
    let service: RunningService

    init(_ service: RunningService) {
        self.service = service
    }

    /// How a request proves who sends it.
    enum As {
        case nobody
        /// The worker's URL prefix, as whim's client uses it.
        case worker(String)
        /// The worker's credential as a bearer token.
        case bearer(String)
        case apiKey(String)
    }

    /// Sends a request, expects `status`, and adds both to the transcript. Returns the body.
    @discardableResult
    mutating func exchange(
        _ title: String, _ method: HTTPMethod, _ path: String, body: String? = nil, as sender: As = .nobody,
        headers: [(String, String)] = [], expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        var base: String?
        var headers = headers
        var who = ""
        switch sender {
        case .nobody: break
        case .worker(let id):
            base = service.workerURL(id)
            who = "  [URL of \(id)]"
        case .bearer(let id):
            headers.append(("Authorization", "Bearer \(service.credentials.credential(for: id))"))
            who = "  [bearer of \(id)]"
        case .apiKey(let key):
            headers.append(("X-API-Key", key))
            who = "  [X-API-Key \(key)]"
        }
        // Every effect of the previous requests applied first, so the figures the answer shows
        // (handler positions, lags) are the same on every run.
        try await service.engine.settle()
        let answer = try await service.send(method, path, body: body, headers: headers, base: base)
        #expect(answer.status == status, "\(title): \(answer.body)", sourceLocation: sourceLocation)
        if (200..<300).contains(answer.status) {
            #expect(answer.body.first == "{" || answer.body.first == "[", "\(title): a success without a JSON body", sourceLocation: sourceLocation)
        }
        text += "### \(title)\n\(method) \(path)\(who)\n"
        if let body { text += "\(body.count > 300 ? String(body.prefix(300)) + "… (\(body.utf8.count) bytes)" : body)\n" }
        text += "→ \(answer.status)\n\(answer.body)\n\n"
        return answer.body
    }

    /// Compares the transcript with its golden file.
    func verify(named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let failure = verifySnapshot(of: text, as: .lines, named: name, snapshotDirectory: Self.directory.path, testName: "routes") {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }
}
