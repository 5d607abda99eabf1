import CoreRecon
import Foundation

/// One hit of `ioc match`: a line (its index among the lines looked up), the text found on it, and the indicator
/// as printed (`id`, `type`, `value`, `score`, `tlp`, `tags`, `sources`).
public struct LineHit: Sendable {
    public var line: Int
    public var found: String
    public var indicator: JSONValue

    public init(line: Int, found: String, indicator: JSONValue) {
        self.line = line
        self.found = found
        self.indicator = indicator
    }
}

/// `ioc match`'s look-ups, whichever side answers: this process's matcher over the database
/// (``LocalLineMatcher``), or the server's (``RemoteLineMatcher``), a batch of lines a request.
public protocol LineMatching: Sendable {
    /// Most lines looked up at a time: one on the database, so that a hit prints as soon as its line is read (a
    /// `tail -f` piped in); more over the API, a request each.
    var batchLines: Int { get }
    /// Most bytes of lines looked up at a time.
    var batchBytes: Int { get }
    /// Gets ready to look up: a store or server that cannot answer fails here, before any input is read.
    func prepare() async throws
    func hits(in lines: [String]) async throws -> [LineHit]
}

extension IndicatorService {
    /// The hits of `lines` among the active indicators, in line order. `known` holds the indicators read so far
    /// (nil: hit, but expired by score since the matcher was built), so each is read once.
    public func lineHits(
        _ lines: [String], matcher: IndicatorMatcher, known: inout [Indicator.ID: Indicator?], now: Date
    ) async throws -> [LineHit] {
        var hits: [LineHit] = []
        for (index, line) in lines.enumerated() {
            let matches = matcher.matches(in: line)
            guard !matches.isEmpty else { continue }
            let unknown = matches.map(\.id).filter { known[$0] == nil }
            if !unknown.isEmpty {
                let active = try await activeIndicators(unknown)
                for id in unknown { known[id] = .some(active[id]) }
            }
            for match in matches {
                guard let indicator = known[match.id] ?? nil else { continue }
                hits.append(LineHit(line: index, found: match.found, indicator: json(indicator, now: now)))
            }
        }
        return hits
    }

    /// An indicator as `ioc match` prints it.
    func json(_ indicator: Indicator, now: Date) -> JSONValue {
        .object([
            JSONMember("id", .int(indicator.id)), JSONMember("type", .string(indicator.type.rawValue)),
            JSONMember("value", .string(indicator.value)),
            JSONMember("score", .int(Int(decay.score(indicator, at: now).rounded()))),
            JSONMember("tlp", indicator.tlp.map { .string($0.rawValue) } ?? .null),
            JSONMember("tags", .array(indicator.tags.map(JSONValue.string))),
            JSONMember("sources", .array(indicator.sources.map { .string($0.name) })),
        ])
    }
}

/// Look-ups in this process: the matcher is loaded once (from the store's snapshot when there is one), and each
/// indicator hit is read once.
public actor LocalLineMatcher: LineMatching {
    let indicators: IndicatorService
    let now: Date
    var matcher: IndicatorMatcher?
    var known: [Indicator.ID: Indicator?] = [:]

    public nonisolated var batchLines: Int { 1 }
    public nonisolated var batchBytes: Int { Int.max }

    public init(indicators: IndicatorService, now: Date) {
        self.indicators = indicators
        self.now = now
    }

    /// Loads the matcher now, so that a store that cannot be read fails before any input is.
    public func prepare() async throws {
        if matcher == nil { matcher = try await indicators.activeMatcher() }
    }

    public func hits(in lines: [String]) async throws -> [LineHit] {
        try await prepare()
        guard let matcher else { return [] }
        var known = self.known
        let hits = try await indicators.lineHits(lines, matcher: matcher, known: &known, now: now)
        self.known = known
        return hits
    }
}

/// Look-ups by the server: `POST /api/v1/iocs/match`, up to 1,000 lines or 512 KB a request.
public struct RemoteLineMatcher: LineMatching {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    public var batchLines: Int { 1_000 }
    public var batchBytes: Int { 512 * 1_024 }

    /// The server loads its matcher when asked; nothing to do here.
    public func prepare() async throws {}

    public func hits(in lines: [String]) async throws -> [LineHit] {
        let path = "/api/v1/iocs/match"
        let body = JSONValue.object([JSONMember("lines", .array(lines.map(JSONValue.string)))])
        return try await client.read(.POST, path, body: body, as: "matches") { answer in
            guard let hits = answer[key: "hits"]?.arrayValue else { return nil }
            var read: [LineHit] = []
            for hit in hits {
                guard let line = hit[key: "line"]?.int, lines.indices.contains(line),
                    let found = hit[key: "found"]?.text, let indicator = hit[key: "indicator"], indicator.members != nil
                else { return nil }
                read.append(LineHit(line: line, found: found, indicator: indicator))
            }
            return read
        }
    }
}
