import HTTPTypes
import Hummingbird
import Synchronization

/// The router's paths and the methods each takes, learnt from the router once its routes are
/// added (`Router.routes`), so that a request for a known path with another method is a 405
/// naming the methods in `Allow`, not a 404.
final class KnownPaths: Sendable {
    private struct Route: Sendable {
        /// Lowercased segments; `nil` for a parameter (`{id}`), which matches any segment.
        var segments: [String?]
        var method: HTTPRequest.Method
    }

    private let routes = Mutex<[Route]>([])

    /// Takes the router's routes (called once, before the server starts).
    func learn(_ descriptions: [Router<ShiftlogRequestContext>.RouteDescription]) {
        let learnt = descriptions.map { description in
            Route(
                segments: description.path.components.map { component in
                    let text = component.description
                    return text.hasPrefix("{") && text.hasSuffix("}") ? nil : text.lowercased()
                },
                method: description.method)
        }
        routes.withLock { $0 = learnt }
    }

    /// The methods the router takes for `path`, in a fixed order; empty for an unknown path.
    /// The path is matched as the router matches it: ignoring case, empty segments and a
    /// trailing slash, and a literal segment before a parameter, so `/api/work/cancel` is the
    /// path of `POST work/cancel` only, not also of `GET work/{id}`.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { $0.lowercased() }
        let matching = routes.withLock { routes in
            routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { pattern, segment in pattern == nil || pattern == segment }
            }
        }
        // The most specific pattern: literal segments win, from the first segment on.
        let specificity = { (route: Route) in route.segments.map { $0 == nil ? 0 : 1 } }
        guard let best = matching.map(specificity).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        let methods = matching.filter { specificity($0) == best }.map(\.method)
        return Array(Set(methods)).sorted { $0.rawValue < $1.rawValue }
    }
}
