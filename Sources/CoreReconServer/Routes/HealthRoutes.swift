import CoreReconStore
import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (the database answers), for load balancers.
struct HealthRoutes {
    let database: Database

    func register(on router: Router<some RequestContext>) {
        router.get("healthz") { _, _ in
            HealthReport(status: "ok", database: nil)
        }
        router.get("readyz") { _, context -> EditedResponse<HealthReport> in
            do {
                try await database.ping()
                return EditedResponse(
                    status: .ok, response: HealthReport(status: "ok", database: database.backend.rawValue))
            } catch {
                context.logger.warning("Readiness check failed", metadata: ["error": "\(error)"])
                let report = HealthReport(status: "unavailable", database: database.backend.rawValue)
                return EditedResponse(status: .serviceUnavailable, response: report)
            }
        }
    }
}

struct HealthReport: ResponseCodable {
    var status: String
    var database: String?
}
