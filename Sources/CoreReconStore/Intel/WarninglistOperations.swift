import CoreRecon
import Foundation
import NIOHTTP1

/// A warninglist as `ioc warninglist list` prints it.
public struct WarninglistSummary: Sendable, Codable, Equatable {
    public var name: String
    public var type: String
    public var version: Int
    public var entries: Int
    public var description: String

    public init(_ list: Warninglist) {
        name = list.name
        type = list.kind.rawValue
        version = list.version
        entries = list.entries.count
        description = list.description
    }
}

/// What importing a warninglist did.
public struct WarninglistImport: Sendable, Codable, Equatable {
    public var name: String
    public var type: String
    public var entries: Int
    /// Stored indicators on the list, flagged (never matched).
    public var indicatorsOnIt: Int

    public init(name: String, type: String, entries: Int, indicatorsOnIt: Int) {
        self.name = name
        self.type = type
        self.entries = entries
        self.indicatorsOnIt = indicatorsOnIt
    }
}

/// Which warninglists a value is on, after it was refanged and made canonical.
public struct WarninglistCheck: Sendable, Codable, Equatable {
    public var type: String
    public var value: String
    public var warninglists: [String]

    public init(type: String, value: String, warninglists: [String]) {
        self.type = type
        self.value = value
        self.warninglists = warninglists
    }
}

/// `corerecon ioc warninglist` as the commands use it, whichever side answers: the database
/// (``LocalWarninglists``) or the API of a running server (``RemoteWarninglists``). A list file is read and
/// checked on this side either way, so that its errors name the file.
public protocol WarninglistOperations: Sendable {
    /// Stores a list read from `file` (its bytes as read, `list` as parsed from them).
    func importList(_ list: Warninglist, bytes: [UInt8], file: String, by actor: String) async throws
        -> WarninglistImport
    func lists() async throws -> [WarninglistSummary]
    func check(_ value: String, type: IndicatorType?) async throws -> WarninglistCheck
}

/// Warninglists in the database.
public struct LocalWarninglists: WarninglistOperations {
    let indicators: IndicatorService

    public init(indicators: IndicatorService) { self.indicators = indicators }

    public func importList(_ list: Warninglist, bytes: [UInt8], file: String, by actor: String) async throws
        -> WarninglistImport
    {
        let flagged = try await indicators.importWarninglist(list, actor: actor)
        return WarninglistImport(
            name: list.name, type: list.kind.rawValue, entries: list.entries.count, indicatorsOnIt: flagged)
    }

    public func lists() async throws -> [WarninglistSummary] {
        try await indicators.warninglists().map(WarninglistSummary.init)
    }

    public func check(_ value: String, type: IndicatorType?) async throws -> WarninglistCheck {
        let (report, lists) = try await indicators.checkWarninglists(value, type: type)
        return WarninglistCheck(type: report.type.rawValue, value: report.value, warninglists: lists)
    }
}

/// Warninglists over the API: `/api/v1/warninglists`. A list goes up as MISP publishes it (`list.json`).
public struct RemoteWarninglists: WarninglistOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    public func importList(_ list: Warninglist, bytes: [UInt8], file: String, by actor: String) async throws
        -> WarninglistImport
    {
        try client.decode(
            WarninglistImport.self,
            try await client.send(
                .POST, "/api/v1/warninglists", query: [("name", file)], body: bytes, idempotent: true),
            .POST, "/api/v1/warninglists")
    }

    public func lists() async throws -> [WarninglistSummary] {
        try await client.decode([WarninglistSummary].self, .GET, "/api/v1/warninglists")
    }

    public func check(_ value: String, type: IndicatorType?) async throws -> WarninglistCheck {
        var query = [("value", value)]
        if let type { query.append(("type", type.rawValue)) }
        return try await client.decode(WarninglistCheck.self, .GET, "/api/v1/warninglists/check", query: query)
    }
}
