import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a method the API does not declare for a path it has with 405 and `Allow` (RFC 9110), rather than the
/// router's 404: the resource exists, the method does not.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let routes: RouteIndex

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError
            where error.status == .notFound && (context.endpointPath == nil || context.endpointPath == "NotFound")
        {
            // No route matched (Hummingbird names that endpoint "NotFound"); a handler's own 404 has its route.
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            var problem = APIError(
                status: .methodNotAllowed,
                detail: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", ")).")
            problem.headers[.allow] = allowed.joined(separator: ", ")
            throw problem
        }
    }
}

/// The API's path templates and their methods, filled once the routes are registered.
final class RouteIndex: Sendable {
    private let templates = Mutex<[(segments: [Substring], method: String)]>([])

    func set(_ routes: [APIRoute]) {
        templates.withLock { templates in
            templates = routes.map { ($0.path.split(separator: "/"), $0.method.rawValue) }
        }
    }

    /// The methods declared for `path`, sorted; empty when no template matches it. A literal segment beats a
    /// parameter, as in routing: `/alerts/bulk` has POST only, though `/alerts/{id}` would also fit it.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let matches = templates.withLock { templates in
            templates.compactMap { template -> (literals: Int, method: String)? in
                guard template.segments.count == segments.count else { return nil }
                var literals = 0
                for (pattern, segment) in zip(template.segments, segments) {
                    if pattern == segment {
                        literals += 1
                    } else if !(pattern.hasPrefix("{") && pattern.hasSuffix("}")) {
                        return nil
                    }
                }
                return (literals, template.method)
            }
        }
        guard let best = matches.map(\.literals).max() else { return [] }
        return Set(matches.filter { $0.literals == best }.map(\.method)).sorted()
    }
}
