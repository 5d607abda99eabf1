import CoreRecon
import Foundation
import HTTPTypes
import Hummingbird

/// Answers 429 with `Retry-After` when a client is over its rate. Runs twice: before authentication it counts
/// every request against its client address (and token requests against the stricter token-endpoint limit), so
/// guessing passwords or tokens is slowed; after authentication it counts against the credential.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppContext

    enum Stage: Sendable {
        case address
        case credential
    }

    let stage: Stage
    let limiter: RateLimiter
    let settings: ServerSettings
    let metrics: ServerMetrics

    static let tokenPath = "/api/v1/auth/token"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        var limits: [RateLimiter.Limit] = []
        switch stage {
        case .address:
            let isTokenRequest = request.method == .post && request.uri.path == Self.tokenPath
            let tokenLimit = isTokenRequest ? settings.rateLimitTokenEndpoint : 0
            // Limits set to 0 are off: no key is built and nothing is counted.
            guard settings.rateLimitPerAddress > 0 || tokenLimit > 0 else { return try await next(request, context) }
            let address = clientAddress(request, context: context)
            limits.append(.init(key: "address:\(address)", perMinute: settings.rateLimitPerAddress))
            if isTokenRequest {
                limits.append(.init(key: "token-endpoint:\(address)", perMinute: tokenLimit))
            }
        case .credential:
            guard let identity = context.identity, settings.rateLimitPerToken > 0 else {
                return try await next(request, context)
            }
            limits.append(.init(key: "credential:\(identity.actor)", perMinute: settings.rateLimitPerToken))
        }
        if let wait = limiter.admit(limits) {
            let seconds = max(1, Int((Double(wait.milliseconds) / 1_000).rounded(.up)))
            let limit = stage == .credential ? "credential" : (limits.count > 1 ? "token_endpoint" : "address")
            metrics.rateLimited(limit: limit)
            var error = APIError(
                status: .tooManyRequests,
                detail: "too many requests from this \(stage == .credential ? "credential" : "address"); "
                    + "retry in \(seconds) s.")
            error.headers[.retryAfter] = "\(seconds)"
            throw error
        }
        return try await next(request, context)
    }

    /// The connection's address, or with `trustProxy` the last `X-Forwarded-For` entry: the one the proxy
    /// added (earlier entries come from the client and can be forged).
    func clientAddress(_ request: Request, context: AppContext) -> String {
        if settings.trustProxy, let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.remoteAddress ?? "unknown"
    }
}

extension HTTPField.Name {
    // swift-format-ignore: NeverForceUnwrap
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
