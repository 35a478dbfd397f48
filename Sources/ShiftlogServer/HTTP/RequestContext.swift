public import Hummingbird
import NIOCore
public import ShiftlogCore

/// The per-request context: Hummingbird's core storage plus who the caller proved to be.
public struct ShiftlogRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the access middleware once the request's credential has been checked (see
    /// ``AccessPolicy``).
    public var caller: Caller = .anonymous
    /// The request's connection, which ``EventStream`` closes to drop a client that stopped
    /// reading.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// A parameter of the route's path (`{id}`); a route matched without it is a 404.
    func pathParameter(_ name: String) throws(APIError) -> String {
        guard let value = parameters.get(name), !value.isEmpty else { throw APIError.routeNotFound }
        return value
    }

    /// whim's body limit; the service reads bodies itself (``RequestBody``) with the same bound.
    public var maxUploadSize: Int { RequestBody.maxBytes }
}

/// Who sent a request, as far as its credential shows.
public enum Caller: Sendable, Hashable {
    /// No credential, or the service runs without `API_KEY` and the route is a management one.
    case anonymous
    /// The holder of `API_KEY` (the management key).
    case management
    /// A worker, by the credential it was given at spawn.
    case worker(WorkerID)
}
