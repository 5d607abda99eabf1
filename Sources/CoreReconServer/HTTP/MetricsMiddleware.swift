import Foundation
import Hummingbird

/// Records every request in ``ServerMetrics`` under its route template; requests that match no route count as
/// `unmatched`, so scanners cannot grow the number of series.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        defer { if Task.isCancelled { metrics.cutShort.add(1, ordering: .relaxed) } }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware.response(for: error, request: request, context: context)
        }
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.request(
            method: request.method, route: route, status: response.status, duration: ContinuousClock.now - started)
        return response
    }
}
