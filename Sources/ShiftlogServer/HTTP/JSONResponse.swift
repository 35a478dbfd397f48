import Foundation
public import HTTPTypes
public import Hummingbird

/// A JSON answer with a status: every success answer of the service is one, because whim's
/// worker client parses the body of every 2xx and fails on an empty one.
///
/// Keys are sorted, so equal values give equal bytes (the route tests compare bodies with
/// golden files).
public struct JSONResponse<Value: Encodable>: ResponseGenerator {
    public var status: HTTPResponse.Status
    public var value: Value

    public init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONResponseEncoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(data.count)],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The one encoder of answers: sorted keys, no escaped slashes (URLs stay readable).
enum JSONResponseEncoder {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// `{"success": true}`, whim's answer to most worker calls.
struct Success: Encodable, Sendable {
    let success = true
}
