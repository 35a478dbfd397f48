import Hummingbird
import Logging

/// Gives every failure the service's shape, `{error, code}`: Hummingbird's own errors (an
/// unknown route, a body over the limit) keep their status with a code; an error nobody
/// expected is logged and answered 500 `INTERNAL_ERROR` without its details.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ShiftlogRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw APIError.routeNotFound
            case .contentTooLarge: throw APIError.bodyTooLarge
            case .methodNotAllowed: throw APIError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", "\(request.method) is not allowed here")
            default: throw APIError(error.status, code: "HTTP_\(error.status.code)", error.body ?? error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("request failed unexpectedly", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }
}
