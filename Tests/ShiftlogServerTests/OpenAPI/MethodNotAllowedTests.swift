import Foundation
import NIOHTTP1
import Testing

/// A path the service has, asked with a method it does not take, is a 405 naming the methods
/// it takes (schemathesis' `unsupported_method` check found it answered 404).
@Suite("A known path with another method")
struct MethodNotAllowedTests {
    @Test func isA405WithAllow() async throws {
        let service = try await RunningService.start(apiKey: "s3cret")
        let key = [("X-API-Key", "s3cret")]
        let cases: [(HTTPMethod, String, String)] = [
            (.DELETE, "/api/work", "POST"), (.PUT, "/api/work/item-1", "GET"), (.GET, "/api/work/item-1/cancel", "POST"),
            (.PATCH, "/health", "GET"), (.POST, "/openapi.json", "GET"),
            (.GET, "/w/anything/api/worker/w1/heartbeat", "POST"), (.DELETE, "/API/Status/", "GET"),
            // The router takes `work/cancel` before `work/{id}`: its methods are POST only.
            (.OPTIONS, "/api/work/cancel", "POST"), (.GET, "/api/work/cancel", "POST"),
        ]
        for (method, path, allow) in cases {
            let answer = try await service.send(method, path, headers: key)
            #expect(answer.status == 405, "\(method) \(path)")
            #expect(answer.headers["Allow"] == [allow], "\(method) \(path)")
            #expect(answer.body.contains(#""code":"METHOD_NOT_ALLOWED""#), "\(method) \(path): \(answer.body)")
        }
        // An unknown path stays a 404, whatever the method.
        for method in [HTTPMethod.GET, .DELETE] {
            let answer = try await service.send(method, "/api/nothing-here", headers: key)
            #expect(answer.status == 404)
            #expect(answer.body.contains(#""code":"NOT_FOUND""#))
        }
        try await service.stop()
    }
}
