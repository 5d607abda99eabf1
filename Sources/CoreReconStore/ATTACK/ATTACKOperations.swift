import CoreRecon
import Foundation

/// `corerecon mitre` look-ups and coverage as the commands use them, whichever side answers: the database
/// (``LocalATTACK``: imported data, else the embedded catalog) or the API of a running server (``RemoteATTACK``:
/// the server's catalog). `source` names the catalog that answered.
public protocol ATTACKOperations: Sendable {
    func tactics(domain: ATTACKDomain?) async throws -> (tactics: [ATTACKTactic], source: String)
    func techniques(tactic: ATTACKTactic?, platform: String?, search: String?, domain: ATTACKDomain?) async throws
        -> (techniques: [ATTACKTechnique], source: String)
    func technique(_ id: String) async throws -> ATTACKTechniqueDetail
    func coverage(from source: ATTACKCoverageSource, since: Date?, domain: ATTACKDomain?) async throws
        -> ATTACKCoverage
}

/// ATT&CK from the database.
public struct LocalATTACK: ATTACKOperations {
    let attack: ATTACKService

    public init(services: AppServices) { attack = services.attack }

    public func tactics(domain: ATTACKDomain?) async throws -> (tactics: [ATTACKTactic], source: String) {
        let catalog = try await attack.catalog(domain: domain)
        return (catalog.tactics, catalog.source)
    }

    public func techniques(tactic: ATTACKTactic?, platform: String?, search: String?, domain: ATTACKDomain?)
        async throws -> (techniques: [ATTACKTechnique], source: String)
    {
        let catalog = try await attack.catalog(domain: domain)
        return (catalog.techniques(tactic: tactic, platform: platform, search: search), catalog.source)
    }

    public func technique(_ id: String) async throws -> ATTACKTechniqueDetail { try await attack.technique(id) }

    public func coverage(from source: ATTACKCoverageSource, since: Date?, domain: ATTACKDomain?) async throws
        -> ATTACKCoverage
    {
        try await attack.coverage(from: source, since: since, domain: domain)
    }
}

/// ATT&CK over the API: `/api/v1/attack/tactics`, `/techniques`, `/techniques/{id}` and `/coverage`.
public struct RemoteATTACK: ATTACKOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    /// The header naming the catalog a list came from.
    public static let catalogHeader = "CoreRecon-Catalog"

    public func tactics(domain: ATTACKDomain?) async throws -> (tactics: [ATTACKTactic], source: String) {
        let path = "/api/v1/attack/tactics"
        let response = try await client.send(.GET, path, query: domain.map { [("domain", $0.shortName)] } ?? [])
        return (
            try client.decode([ATTACKTactic].self, response, .GET, path),
            response.headers.first(name: Self.catalogHeader) ?? ""
        )
    }

    public func techniques(tactic: ATTACKTactic?, platform: String?, search: String?, domain: ATTACKDomain?)
        async throws -> (techniques: [ATTACKTechnique], source: String)
    {
        var query: [(String, String)] = []
        if let tactic { query.append(("tactic", tactic.id)) }
        if let platform { query.append(("platform", platform)) }
        if let search { query.append(("search", search)) }
        if let domain { query.append(("domain", domain.shortName)) }
        let path = "/api/v1/attack/techniques"
        let response = try await client.send(.GET, path, query: query)
        return (
            try client.decode([ATTACKTechnique].self, response, .GET, path),
            response.headers.first(name: Self.catalogHeader) ?? ""
        )
    }

    public func technique(_ id: String) async throws -> ATTACKTechniqueDetail {
        try await client.decode(
            ATTACKTechniqueDetail.self, .GET, "/api/v1/attack/techniques/\(APIClient.pathSegment(id))")
    }

    public func coverage(from source: ATTACKCoverageSource, since: Date?, domain: ATTACKDomain?) async throws
        -> ATTACKCoverage
    {
        var query = [("from", source.rawValue)]
        if let since { query.append(("since", ISO8601Format.string(from: since))) }
        if let domain { query.append(("domain", domain.shortName)) }
        return try await client.decode(ATTACKCoverage.self, .GET, "/api/v1/attack/coverage", query: query)
    }
}
