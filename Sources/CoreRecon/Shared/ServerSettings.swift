/// How `corerecon serve` protects itself and what it exposes: rate limits and the metrics endpoint.
public struct ServerSettings: Sendable, Equatable {
    /// Requests per minute per credential (a user's tokens or an API key); 0 turns the limit off. A client may
    /// spend a whole minute's worth at once (the burst), then one per 60/N seconds.
    public var rateLimitPerToken = 6_000
    /// Requests per minute per client address, authenticated or not; 0 turns the limit off.
    public var rateLimitPerAddress = 12_000
    /// Requests per minute per client address to `POST /api/v1/auth/token`, against password guessing.
    public var rateLimitTokenEndpoint = 10
    /// Take the client address from `X-Forwarded-For` (set by a reverse proxy) instead of the connection.
    public var trustProxy = false
    /// Serve `GET /metrics` without credentials; when false it needs an admin token.
    public var isMetricsPublic = true
    /// After SIGTERM or SIGINT, how long in-flight requests have to finish before the process exits anyway (70).
    public var shutdownTimeout: Duration = .seconds(10)
    /// The largest evidence file `POST /api/v1/incidents/{id}/evidence` takes, whatever the body limit says. The
    /// server holds about five copies of one upload while it is stored (they are taken one at a time).
    public var evidenceLimit = 64 * 1_024 * 1_024

    public init() {}
}
