import CoreRecon
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of CoreRecon's routes: Hummingbird's, plus who is calling and the request id.
public struct AppContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket = WebSocketHandlerReference<AppContext>()
    /// Set by ``AuthMiddleware`` when the request carries a valid token or key.
    public var identity: Identity?
    /// `X-Request-ID` as received, or generated.
    public var requestID = ""
    /// The peer's IP address (the proxy's when behind one), formatted when asked for: most requests never ask.
    public var remoteAddress: String? { channel.remoteAddress?.ipAddress }
    /// The connection: after a WebSocket upgrade the stream writes its frames to it directly.
    public let channel: any Channel

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The caller, when allowed `permission`: 401 without credentials, 403 with a role that lacks it.
    public func require(_ permission: Permission) throws -> Identity {
        guard let identity else { throw APIError.unauthorized("this endpoint needs a bearer token or API key.") }
        guard identity.may(permission) else {
            throw APIError.forbidden(
                "role \(identity.role.rawValue) may not \(permission.rawValue); "
                    + "roles that may: \(Role.allCases.filter { $0.permissions.contains(permission) }.map(\.rawValue).joined(separator: ", "))."
            )
        }
        return identity
    }
}
