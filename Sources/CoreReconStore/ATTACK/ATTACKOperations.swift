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
    /// Compares a Navigator layer with coverage: `layer` as parsed here (so that a file that is not a layer is
    /// named as on the database), `bytes` as read, `name` its file for messages.
    func compare(
        _ layer: NavigatorLayerDocument, bytes: [UInt8], name: String, from source: ATTACKCoverageSource, since: Date?
    ) async throws -> LayerComparison
    /// Downloads the latest bundle of `domain` (from `url`, else from the configured address) and imports it; the
    /// side that answers downloads.
    func sync(_ domain: ATTACKDomain, url: String?) async throws -> ATTACKImportSummary
    /// Imports bundles read (and parsed, so that their errors name the files) on this side: on the database all in
    /// one transaction; over the API one request, and one transaction, a file.
    func importBundles(_ files: [ATTACKBundleFile]) async throws -> [ATTACKImportSummary]
}

/// A STIX bundle file as read: its name, its bytes, and the bundle parsed from them.
public struct ATTACKBundleFile: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public var bundle: ATTACKBundle

    public init(name: String, bytes: [UInt8], bundle: ATTACKBundle) {
        self.name = name
        self.bytes = bytes
        self.bundle = bundle
    }
}

/// ATT&CK from the database.
public struct LocalATTACK: ATTACKOperations {
    let attack: ATTACKService
    let config: AppConfig

    public init(services: AppServices) {
        attack = services.attack
        config = services.config
    }

    public func sync(_ domain: ATTACKDomain, url: String?) async throws -> ATTACKImportSummary {
        try await attack.sync(domain, url: url ?? config.mitreSyncURL(for: domain.rawValue))
    }

    public func importBundles(_ files: [ATTACKBundleFile]) async throws -> [ATTACKImportSummary] {
        try await attack.importBundles(files.map(\.bundle))
    }

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

    public func compare(
        _ layer: NavigatorLayerDocument, bytes: [UInt8], name: String, from source: ATTACKCoverageSource, since: Date?
    ) async throws -> LayerComparison {
        try await attack.compare(layer, source: name, from: source, since: since)
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

    /// The server downloads (with its network and its mitre.syncURL) and imports: for admins.
    public func sync(_ domain: ATTACKDomain, url: String?) async throws -> ATTACKImportSummary {
        var query = [("domain", domain.shortName)]
        if let url { query.append(("url", url)) }
        return try await client.decode(ATTACKImportSummary.self, .POST, "/api/v1/attack/sync", query: query)
    }

    /// Each file goes up gzip-compressed (an Enterprise bundle of 45 MB is about 8 MB) to `POST
    /// /api/v1/attack/bundles`, for admins.
    public func importBundles(_ files: [ATTACKBundleFile]) async throws -> [ATTACKImportSummary] {
        var summaries: [ATTACKImportSummary] = []
        let path = "/api/v1/attack/bundles"
        for file in files {
            let response = try await client.send(
                .POST, path, query: [("name", file.name)], body: try Gzip.compress(file.bytes),
                headers: [("Content-Encoding", "gzip")], idempotent: true)
            summaries += try client.decode([ATTACKImportSummary].self, response, .POST, path)
        }
        return summaries
    }

    /// The server checks the layer's ids against its catalog and compares it with its coverage.
    public func compare(
        _ layer: NavigatorLayerDocument, bytes: [UInt8], name: String, from source: ATTACKCoverageSource, since: Date?
    ) async throws -> LayerComparison {
        var query = [("from", source.rawValue), ("name", name)]
        if let since { query.append(("since", ISO8601Format.string(from: since))) }
        let path = "/api/v1/attack/layers/compare"
        let response = try await client.send(.POST, path, query: query, body: bytes, idempotent: true)
        return try client.decode(LayerComparison.self, response, .POST, path)
    }
}
