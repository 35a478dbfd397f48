/// The service refused a request for want of a valid credential: recorded so that an
/// incident shows who tried to act for whom. Changes no projection.
public struct AccessRefused: Sendable, Hashable, Codable {
    /// The route pattern, e.g. `POST /api/worker/{id}/complete`.
    public var route: String
    /// The worker the request tried to act for (the `:id` in its path), when there is one.
    public var targetWorkerId: WorkerID?
    /// The worker whose valid credential was presented, when one was.
    public var presentedWorkerId: WorkerID?
    /// Why: `missing credential`, `another worker's credential`, `wrong API key`, …
    public var reason: String

    /// A refusal of a request to `route`, for `reason`.
    public init(route: String, targetWorkerId: WorkerID?, presentedWorkerId: WorkerID?, reason: String) {
        self.route = route
        self.targetWorkerId = targetWorkerId
        self.presentedWorkerId = presentedWorkerId
        self.reason = reason
    }
}
