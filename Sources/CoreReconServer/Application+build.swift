import CoreReconStore
import Hummingbird
import Logging

/// Where the HTTP server listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Builds the HTTP application over `services`. Routes are grouped by feature under `Routes/`.
public func buildApplication(
    services: AppServices,
    configuration: ServerConfiguration = .init()
) -> some ApplicationProtocol {
    let router = Router()
    HealthRoutes(database: services.database).register(on: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "corerecon"),
        logger: services.logger
    )
}
