import Foundation
import Testing

/// The document `shiftlog serve` serves at `/openapi.json` is valid OpenAPI 3.1, by
/// openapi-spec-validator (installed, pinned, by `scripts/api-tools`), and every `$ref` in it
/// resolves.
@Suite("The OpenAPI document is valid")
struct OpenAPIDocumentValidityTests {
    @Test func theServedDocumentPassesOpenAPISpecValidator() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-openapi-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let service = try await RunningService.start(
            path: folder + "/log", arguments: ["--runtime", "process"], environment: ["PORT": "0", "API_KEY": "s3cret"])
        defer { service.forceCleanUp() }
        let answer = try await ServiceClient.withHTTPClient { http in
            try await ServiceClient(http: http, baseURL: service.url).get("/openapi.json")
        }
        try await service.stop()
        #expect(answer.status == 200)
        let document = try #require(answer.json as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let file = folder + "/openapi.json"
        try Data(answer.text.utf8).write(to: URL(fileURLWithPath: file))

        let tools = try await ChildRun.ending(ShiftlogBinary.root.appendingPathComponent("scripts/api-tools").path, [])
        #expect(tools.status == 0, "scripts/api-tools: \(tools.error)")
        let python = tools.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let validation = try await ChildRun.ending(python, ["-m", "openapi_spec_validator", file])
        #expect(validation.status == 0, "openapi-spec-validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("OK"), "\(validation.output)")

        // And a document with a broken reference is refused by the same check, so it can fail.
        let broken = answer.text.replacingOccurrences(of: "#/components/schemas/WorkItem", with: "#/components/schemas/Nothing")
        try Data(broken.utf8).write(to: URL(fileURLWithPath: file))
        let refused = try await ChildRun.ending(python, ["-m", "openapi_spec_validator", file])
        #expect(refused.status != 0, "a broken $ref passed: \(refused.output)")
    }
}
