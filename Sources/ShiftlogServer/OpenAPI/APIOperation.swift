import HTTPTypes
import ShiftlogCore

/// One route as the OpenAPI document (``APIDocument``) describes it: its method and path, who
/// may call it, what it takes, what it answers, and the error codes peculiar to it. The codes
/// every route shares (the network edge's, the access check's, a path parameter's 404, the
/// writer's 503s) are added by the document from the route's kind, and each code's status is
/// ``APIErrorCode/status``: none is written twice.
///
/// Each route group declares its operations beside its routes (`WorkRoutes.operations`, …);
/// `OpenAPIDocumentTests` fails when the router's routes and the documented ones differ.
struct APIOperation: Sendable {
    /// Where the path hangs: at the root (`/health`), or under each of
    /// ``ShiftlogHTTPServer/apiMounts`` (`/api/…` and `/w/{credential}/api/…`).
    enum Mount: Sendable { case root, api }

    /// A query parameter or a header.
    struct Parameter: Sendable {
        enum Location: String, Sendable { case query, header }
        var name: String
        var location: Location
        var schema: JSONSchema
        var description: String
        var required = false

        static func query(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: .query, schema: schema, description: description)
        }

        static func header(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: .header, schema: schema, description: description)
        }
    }

    /// The success answer.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var description: String
        /// The media type of the body (`application/json` for every JSON answer).
        var mediaType = "application/json"
        var schema: JSONSchema

        static func json(_ status: HTTPResponse.Status = .ok, _ schema: JSONSchema, _ description: String) -> Answer {
            Answer(status: status, description: description, schema: schema)
        }
    }

    /// A way from this answer to another operation (an OpenAPI link), which stateful testing
    /// follows: add an item, then cancel it.
    struct Link: Sendable {
        var name: String
        /// The target's ``APIOperation/id``, in the same mount.
        var operation: String
        /// Path parameters by name, as runtime expressions (`$response.body#/id`).
        var parameters: [String: String] = [:]
        /// The request body, with runtime expressions as string values.
        var requestBody: JSONValue?
    }

    /// The operation's id (for the `/w/{credential}` mount, with `AtCredential` after it).
    var id: String
    var method: HTTPRequest.Method
    var mount: Mount
    /// The path below its mount, with `{name}` for parameters, as the router has it.
    var path: String
    var summary: String
    /// Who may call it (``AccessMiddleware/Kind``); `nil`: anyone.
    var access: AccessMiddleware.Kind?
    var parameters: [Parameter] = []
    /// The JSON body it reads, if it reads one (a body is read whatever its content type, and
    /// an empty one as `{}`).
    var body: JSONSchema?
    var answer: Answer
    /// Answers besides the success and the errors (`/health`'s 503, whose body is its own).
    var otherAnswers: [Answer] = []
    /// The error codes peculiar to this route.
    var failures: [APIErrorCode] = []
    /// Whether it goes through the engine's writer, which answers 503 while it cannot write.
    var writes = false
    var links: [Link] = []
}
