import CoreRecon
import CoreReconStore
import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (it can do its work), for load balancers.
///
/// Ready means the database answers and, in a server that ingests, the write path works: no write round failed
/// in the last `failedFor` and none has been running for longer than `stalledAfter`. A read alone would stay green while
/// every webhook failed (a full disk) or hung.
struct HealthRoutes {
    let database: Database
    let writes: GroupCommitAlertRepository?
    var stalledAfter: Duration = .seconds(10)
    /// How long a failed write keeps the server unready. Not for good: a load balancer that stops sending
    /// traffic would otherwise never let a write succeed and clear it; a write that still fails marks it again.
    var failedFor: Duration = .seconds(10)

    func register(on router: Router<some RequestContext>) {
        router.get("healthz") { _, _ in
            HealthReport(status: "ok", database: nil)
        }
        router.get("readyz") { _, context -> EditedResponse<HealthReport> in
            var problem: String?
            do {
                try await database.ping()
                if let health = writes?.writeHealth {
                    if let started = health.roundStarted, ContinuousClock.now - started > stalledAfter {
                        problem = "a write has not finished for \(Int((ContinuousClock.now - started).seconds)) s"
                    } else if let failure = health.lastFailure, ContinuousClock.now - failure.at < failedFor {
                        problem = "the last write failed: \(failure.reason)"
                    }
                }
            } catch {
                problem = "\(error)"
            }
            guard let problem else {
                return EditedResponse(
                    status: .ok, response: HealthReport(status: "ok", database: database.backend.rawValue))
            }
            context.logger.warning("Readiness check failed", metadata: ["error": "\(problem)"])
            let report = HealthReport(status: "unavailable", database: database.backend.rawValue, detail: problem)
            return EditedResponse(status: .serviceUnavailable, response: report)
        }
    }
}

struct HealthReport: ResponseGenerator {
    var status: String
    var database: String?
    var detail: String?

    /// Written with the project's JSON writer: load balancers ask often, and Foundation's encoder was the
    /// largest part of answering them.
    func response(from request: Request, context: some RequestContext) -> Response {
        Body.response(
            json: .object(
                [JSONMember("status", .string(status))] + (database.map { [JSONMember("database", .string($0))] } ?? [])
                    + (detail.map { [JSONMember("detail", .string($0))] } ?? [])))
    }
}
