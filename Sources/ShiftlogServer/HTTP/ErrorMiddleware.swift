import HTTPTypes
import Hummingbird
import Logging

/// Gives every failure the service's shape, `{error, code}`: Hummingbird's own errors (an
/// unknown route, a body over the limit) keep their status with a code; a known path asked
/// with a method it does not take is a 405 with `Allow`; an error nobody expected is logged and
/// answered 500 `INTERNAL_ERROR` without its details.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ShiftlogRequestContext

    /// The router's paths, to tell a wrong method (405) from an unknown path (404).
    let knownPaths: KnownPaths

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                let allowed = knownPaths.methods(for: request.uri.path)
                guard !allowed.isEmpty else { throw APIError.routeNotFound }
                throw APIError(
                    .methodNotAllowed, "\(request.method) is not allowed here",
                    headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
            case .contentTooLarge: throw APIError.bodyTooLarge
            case .methodNotAllowed: throw APIError(.methodNotAllowed, "\(request.method) is not allowed here")
            // Hummingbird's other errors are about the request (a parameter it could not read).
            default: throw APIError(.malformedRequest, error.body ?? error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("request failed unexpectedly", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }
}
