import Hummingbird
import NIOCore

/// Reads every request's body before its route runs, up to ``RequestBody/maxBytes``: a body
/// over the limit is a 413 on every route (even one that ignores its body, such as `/cancel`),
/// the route does not run, and the connection closes rather than reading the rest. The
/// connection's `ConnectionGuard` stops reading at the same limit.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ShiftlogRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        do {
            _ = try await request.collectBody(upTo: RequestBody.maxBytes)
        } catch {
            throw RequestBody.readError(error)
        }
        return try await next(request, context)
    }
}
