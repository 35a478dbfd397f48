import Foundation
import HTTPTypes
import ShiftlogCore

/// The OpenAPI 3.1 document of the service, served at `/openapi.json`: built from the routes'
/// declarations (``APIOperation``, one list per route group), the two mounts of the API
/// (``ShiftlogHTTPServer/apiMounts``) and the one mapping of error codes to statuses
/// (``APIErrorCode``). `OpenAPIDocumentTests` checks it against the router's own list of
/// routes, both ways.
enum APIDocument {
    /// Every documented operation, each once (the document repeats those of the API's mount
    /// under each mount).
    static var operations: [APIOperation] {
        ShiftlogHTTPServer.operations + WorkerRoutes.operations + LearningRoutes.operations + WorkRoutes.operations
            + OperatorRoutes.operations + EventStreamRoutes.operations
    }

    /// The codes any request may be answered, whatever its route: the network edge's
    /// (``EdgeAnswer``) and the body limit's.
    static let everyRoute: [APIErrorCode] = [
        .malformedRequest, .requestTimeout, .payloadTooLarge, .uriTooLong, .headersTooLarge, .tooManyConnections,
    ]

    /// The document, encoded once: sorted keys, so the same build serves the same bytes.
    static let encoded: [UInt8] = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(document(operations)))
    }()

    /// Every (method, path) pair the document describes, with paths as the router writes them
    /// (`/api/work/{id}`).
    static func routes(_ operations: [APIOperation] = operations) -> Set<String> {
        Set(operations.flatMap { operation in
            paths(of: operation).map { "\(operation.method) \($0.path)" }
        })
    }

    /// The document of `operations`.
    static func document(_ operations: [APIOperation]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            for mounted in Self.paths(of: operation) {
                paths[mounted.path, default: [:]][operation.method.rawValue.lowercased()] = describe(operation, mounted)
            }
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Shiftlog"),
                "version": .string("1"),
                "description": .string("""
                    The orchestrator service of `shiftlog serve`: whim's routes, under `/api` and under \
                    `/w/{credential}/api` (the URL each worker is given, its credential in the path), \
                    and Shiftlog's own. Every failure is `{"error", "code"}` with the code's status. \
                    Management routes need `API_KEY` (as `X-API-Key` or `Authorization: Bearer`) when \
                    the service has one, and are open otherwise; a worker route needs that worker's \
                    credential (in the path, or as `Authorization: Bearer`) or the management key.
                    """),
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(APISchemas.all.mapValues(\.json)),
                "securitySchemes": .object([
                    "apiKey": .object([
                        "type": .string("apiKey"), "in": .string("header"), "name": .string("X-API-Key"),
                        "description": .string("The service's API_KEY."),
                    ]),
                    "bearer": .object([
                        "type": .string("http"), "scheme": .string("bearer"),
                        "description": .string("The service's API_KEY, or (on worker routes and learnings) a worker's credential."),
                    ]),
                ]),
            ]),
        ])
    }

    /// An operation at one of its mounts.
    struct Mounted {
        var path: String
        /// Whether the path holds the worker's credential (`/w/{credential}/api/…`).
        var credentialInPath: Bool
        /// The suffix of operation ids at this mount.
        var idSuffix: String
    }

    static func paths(of operation: APIOperation) -> [Mounted] {
        switch operation.mount {
        case .root:
            return [Mounted(path: "/\(operation.path)", credentialInPath: false, idSuffix: "")]
        case .api:
            return ShiftlogHTTPServer.apiMounts.map { mount in
                let credential = mount.contains("{credential}")
                return Mounted(
                    path: "/\(mount)/\(operation.path)", credentialInPath: credential, idSuffix: credential ? "AtCredential" : "")
            }
        }
    }

    /// The path parameters in `path`, in order (`{id}` → `id`).
    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    /// Every error code `operation` may answer: its own, and those its kind implies.
    static func failures(of operation: APIOperation) -> [APIErrorCode] {
        var codes = everyRoute
        switch operation.access {
        case nil: break
        case .management?, .learnings?, .register?: codes.append(.unauthorized)
        case .worker?: codes += [.unauthorized, .forbidden]
        }
        if pathParameters(operation.path).contains(where: { $0 != "credential" }) { codes.append(.notFound) }
        if operation.body != nil || operation.parameters.contains(where: { $0.location == .query }) {
            codes.append(.validationError)
        }
        if operation.writes { codes += [.storageUnavailable, .shuttingDown, .unavailable] }
        codes += operation.failures
        var seen = Set<APIErrorCode>()
        return codes.filter { seen.insert($0).inserted }
    }

    private static func describe(_ operation: APIOperation, _ mounted: Mounted) -> JSONValue {
        var members: [String: JSONValue] = [
            "operationId": .string(operation.id + mounted.idSuffix),
            "summary": .string(operation.summary),
            "tags": .array([.string(mounted.credentialInPath ? "at a worker's URL" : operation.mount == .root ? "service" : "api")]),
        ]
        var parameters: [JSONValue] = pathParameters(mounted.path).map { name in
            .object([
                "name": .string(name), "in": .string("path"), "required": .bool(true),
                "schema": name == "number" ? JSONSchema.integer(Limits.prNumber).json : JSONSchema.string(minLength: 1).json,
                "description": .string(name == "credential" ? "A worker's credential, as in the URL it was given." : "The \(name)."),
            ])
        }
        parameters += operation.parameters.map { parameter in
            .object([
                "name": .string(parameter.name), "in": .string(parameter.location.rawValue),
                "required": .bool(parameter.required), "schema": parameter.schema.json,
                "description": .string(parameter.description),
            ])
        }
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if let body = operation.body {
            members["requestBody"] = .object([
                "required": .bool(body.requiresMembers),
                "description": .string("JSON, whatever the Content-Type says; an empty body reads as {}, and a member that is null as absent."),
                "content": .object(["application/json": .object(["schema": body.json])]),
            ])
        }
        members["security"] = security(operation.access, credentialInPath: mounted.credentialInPath)
        var responses: [String: JSONValue] = [:]
        var links: JSONValue?
        if !operation.links.isEmpty {
            links = .object(Dictionary(uniqueKeysWithValues: operation.links.map { link in
                var target: [String: JSONValue] = ["operationId": .string(link.operation + mounted.idSuffix)]
                var parameters = link.parameters.mapValues(JSONValue.string)
                if mounted.credentialInPath { parameters["credential"] = .string("$request.path.credential") }
                if !parameters.isEmpty { target["parameters"] = .object(parameters) }
                if let body = link.requestBody { target["requestBody"] = body }
                return (link.name, JSONValue.object(target))
            }))
        }
        let answers = [operation.answer] + operation.otherAnswers
        let errors = Dictionary(grouping: failures(of: operation), by: { $0.status.code })
        for status in Set(answers.map(\.status.code)).union(errors.keys) {
            // Each media type's schemas at this status: the answers', then the errors'.
            var schemas: [String: [JSONValue]] = [:]
            var descriptions: [String] = []
            for answer in answers where answer.status.code == status {
                schemas[answer.mediaType, default: []].append(answer.schema.json)
                descriptions.append(answer.description)
            }
            if let codes = errors[status] {
                schemas["application/json", default: []].append(.object([
                    "allOf": .array([
                        JSONSchema.named("Error").json,
                        .object(["properties": .object(["code": JSONSchema.strings(codes.map(\.description)).json])]),
                    ])
                ]))
                descriptions.append("Refused: " + codes.map(\.description).joined(separator: ", ") + ".")
            }
            var response: [String: JSONValue] = [
                "description": .string(descriptions.joined(separator: " ")),
                "content": .object(schemas.mapValues { alternatives in
                    .object(["schema": alternatives.count == 1 ? alternatives[0] : .object(["anyOf": .array(alternatives)])])
                }),
            ]
            if status == operation.answer.status.code, let links { response["links"] = links }
            responses[String(status)] = .object(response)
        }
        members["responses"] = .object(responses)
        return .object(members)
    }

    /// Who may call: nobody needs anything for an open route; on a worker's URL the path
    /// carries the credential, so a worker route there needs no header.
    private static func security(_ access: AccessMiddleware.Kind?, credentialInPath: Bool) -> JSONValue {
        let key: [JSONValue] = [.object(["apiKey": .array([])]), .object(["bearer": .array([])])]
        switch access {
        case nil: return .array([])
        case .management?: return .array(key)
        case .worker?, .learnings?, .register?: return .array(credentialInPath ? [.object([:])] + key : key)
        }
    }
}
