import Foundation
import NIOHTTP1
import ShiftlogEngine
import ShiftlogStore
import Testing

/// A text field's bound counts code points, as the OpenAPI document's `maxLength` does
/// (schemathesis found a 201-code-point `category` of fewer characters accepted, against the
/// document's `maxLength: 200`).
@Suite("Text bounds count code points")
struct TextLengthTests {
    @Test func aCombiningMarkCountsAsACodePoint() async throws {
        let service = try await RunningService.start()
        let (_, worker) = try await service.spawnWorker()
        // 101 characters, 202 code points: each "é" is "e" and a combining acute accent.
        let long = String(repeating: "e\u{301}", count: 101)
        #expect(long.count == 101 && long.unicodeScalars.count == 202)
        let before = try service.engine.log.lastSequence()
        let refused = try await service.send(
            .POST, "/api/worker/\(worker)/fail", body: #"{"error":"broke","iteration":1,"category":"\#(long)"}"#,
            base: service.workerURL(worker))
        #expect(refused.status == 400)
        #expect(refused.body.contains(#""code":"VALIDATION_ERROR""#) && refused.body.contains("'category' must be at most 200"), "\(refused.body)")
        let lock = try await service.send(
            .POST, "/api/worker/\(worker)/lock", body: #"{"repo":"acme/web","files":["\#(String(repeating: "e\u{301}", count: 2_049))"]}"#,
            base: service.workerURL(worker))
        #expect(lock.status == 400 && lock.body.contains("'files[0]' must be at most 4096"), "\(lock.body)")
        // Neither appended anything.
        #expect(try service.engine.log.lastSequence() == before)
        // 100 such characters (200 code points) are within the bound.
        let accepted = try await service.send(
            .POST, "/api/worker/\(worker)/fail",
            body: #"{"error":"broke","iteration":1,"category":"\#(String(repeating: "e\u{301}", count: 100))"}"#,
            base: service.workerURL(worker))
        #expect(accepted.status == 200, "\(accepted.body)")
        try await service.stop()
    }
}
