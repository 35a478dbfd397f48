import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1
import Prometheus
import ShiftlogConsole
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// The document served at `/openapi.json` describes exactly the routes the router has, and its
/// error codes are the service's.
@Suite("The OpenAPI document")
struct OpenAPIDocumentTests {
    /// The document as a client gets it, over HTTP.
    static func served(_ service: RunningService) async throws -> [String: Any] {
        let answer = try await service.send(.GET, "/openapi.json")
        #expect(answer.status == 200)
        #expect(answer.headers["Content-Type"].first?.hasPrefix("application/json") == true)
        return try #require(JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
    }

    /// `METHOD /path` for every operation of `document`.
    static func documentedRoutes(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test func everyRouteOfTheRouterIsDocumentedAndNothingElse() async throws {
        let service = try await RunningService.start(apiKey: "s3cret")
        let document = try await Self.served(service)
        // The router `serve` runs, with every optional route (`/metrics`) on.
        let router = ShiftlogHTTPServer.router(
            engine: service.engine, settings: ServerSettings(), credentials: service.credentials,
            prometheus: PrometheusCollectorRegistry(), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        // The console's pages (HTML, for people) are mounted on the same router; the
        // document describes the API, so they are set apart: the routes the console adds.
        let pages = Router(context: ShiftlogRequestContext.self)
        Console(source: EngineConsoleSource(engine: service.engine), actions: nil, access: ConsoleAccess(apiKey: nil),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).add(to: pages)
        let consoleRoutes = Set(pages.routes.map { "\($0.method) \($0.path)" })
        #expect(!consoleRoutes.isEmpty && consoleRoutes.allSatisfy { !$0.contains(" /api/") && !$0.contains(" /w/") })
        let routed = Set(router.routes.map { "\($0.method) \($0.path)" }).subtracting(consoleRoutes)
        let documented = Self.documentedRoutes(document)
        #expect(routed.subtracting(documented).isEmpty, "routes the document leaves out: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented routes the router lacks: \(documented.subtracting(routed).sorted())")
        // Both mounts of the API, the service's own routes, and Shiftlog's own beside whim's.
        for route in [
            "GET /health", "GET /metrics", "GET /openapi.json", "POST /api/worker/{id}/heartbeat",
            "POST /w/{credential}/api/worker/{id}/heartbeat", "POST /api/work/{id}/cancel", "GET /api/events",
        ] {
            #expect(documented.contains(route), "\(route) is not documented")
        }
        try await service.stop()
    }

    @Test func theErrorCodesAreTheServices() async throws {
        let service = try await RunningService.start()
        let document = try await Self.served(service)
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let error = try #require(schemas["Error"] as? [String: Any])
        let codes = try #require(((error["properties"] as? [String: Any])?["code"] as? [String: Any])?["enum"] as? [String])
        #expect(codes == APIErrorCode.all.map(\.description))
        // Every operation's error answers name codes of their own status only.
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        var checked = 0
        for (path, operations) in paths {
            for (method, operation) in operations {
                let responses = try #require(operation["responses"] as? [String: [String: Any]])
                for (status, response) in responses {
                    for code in Self.codes(in: response) {
                        let known = try #require(APIErrorCode(named: code), "\(method) \(path): unknown code \(code)")
                        #expect(String(known.status.code) == status, "\(method) \(path): \(code) documented under \(status)")
                        checked += 1
                    }
                }
                // Every route can be refused by the edge, and answers JSON errors for it.
                #expect(responses["413"] != nil && responses["400"] != nil, "\(method) \(path)")
            }
        }
        #expect(checked > 100)
        try await service.stop()
    }

    /// The codes an error answer's schema names (`allOf: [Error, {properties: {code: {enum}}}]`).
    static func codes(in response: [String: Any]) -> [String] {
        guard let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
            as? [String: Any]
        else { return [] }
        let alternatives = (schema["anyOf"] as? [[String: Any]]) ?? [schema]
        return alternatives.flatMap { alternative -> [String] in
            let parts = alternative["allOf"] as? [[String: Any]] ?? []
            return parts.compactMap { (($0["properties"] as? [String: Any])?["code"] as? [String: Any])?["enum"] as? [String] }
                .flatMap { $0 }
        }
    }

    @Test func anAnswerAndItsDocumentAgreeForAnAddedItem() async throws {
        let service = try await RunningService.start()
        let document = try await Self.served(service)
        let added = try await service.send(
            .POST, "/api/work", body: #"{"repo":"acme/web","spec":"Fix it"}"#)
        #expect(added.status == 201)
        let item = try await service.send(.GET, "/api/work/item-1")
        let body = try #require(JSONSerialization.jsonObject(with: Data(item.body.utf8)) as? [String: Any])
        let schema = try #require(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["WorkItem"] as? [String: Any])
        // The document names every member the answer carries, and requires exactly those.
        #expect(Set(schema["required"] as? [String] ?? []) == Set(body.keys))
        try await service.stop()
    }
}
