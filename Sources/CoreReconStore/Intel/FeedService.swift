import CoreRecon
import Foundation
import Logging
import NIOHTTP1
import SQLKit

/// Named indicator feeds: stored subscriptions, and pulls that fetch only what is new since the last one.
///
/// A pull claims its feed in the database first, so two `serve` replicas (or a cron job beside `serve`) never
/// pull the same feed at once. The cursor moves only after the indicators are stored: a pull that fails is
/// repeated in full next time, which the idempotent import makes harmless.
public struct FeedService: Sendable {
    let database: Database
    let indicators: IndicatorService
    let environment: [String: String]
    let logger: Logger
    let now: @Sendable () -> Date
    /// Each HTTP request's deadline.
    var timeout: Duration = .seconds(120)
    /// A claim older than this is taken for a crashed puller's and ignored.
    static let claimLifetime: TimeInterval = 3_600
    /// The most STIX objects one TAXII pull gathers before importing.
    static let maximumObjects = 2_000_000

    public init(
        database: Database, indicators: IndicatorService, environment: [String: String], logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.database = database
        self.indicators = indicators
        self.environment = environment
        self.logger = logger
        self.now = now
    }

    // MARK: Subscriptions

    public func feeds() async throws -> [FeedSubscription] {
        try await database.read { sql in
            try await sql.raw("SELECT * FROM indicator_feeds ORDER BY name").all().map(Self.decode)
        }
    }

    public func feed(named name: String) async throws -> FeedSubscription {
        let found = try await database.read { sql in
            try await sql.raw("SELECT * FROM indicator_feeds WHERE name = \(bind: name)").first().map(Self.decode)
        }
        guard let found else { throw CoreReconError.notFound(kind: "feed", id: name) }
        return found
    }

    /// Adds a feed, or replaces the settings of one with the same name (its cursor is kept when the address is
    /// the same).
    public func save(_ feed: FeedSubscription, actor: String) async throws {
        try FeedSubscription.checkName(feed.name)
        let at = now().milliseconds
        let backend = database.backend
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO indicator_feeds (name, kind, url, collection, input_format, source, tlp, confidence, tags,
                    username, password_env, token_env, every_seconds, created_at, updated_at)
                VALUES (\(bind: feed.name), \(bind: feed.kind.rawValue), \(bind: feed.url), \(bind: feed.collection),
                    \(bind: feed.inputFormat), \(bind: feed.source), \(bind: feed.tlp?.rawValue), \(bind: feed.confidence),
                    \(bind: SQLIndicatorRepository.json(feed.tags)), \(bind: feed.username),
                    \(bind: feed.passwordEnvironment), \(bind: feed.tokenEnvironment), \(bind: feed.every.map { Int64($0) }),
                    \(bind: at), \(bind: at))
                ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url,
                    collection = excluded.collection, input_format = excluded.input_format, source = excluded.source,
                    tlp = excluded.tlp, confidence = excluded.confidence, tags = excluded.tags,
                    username = excluded.username, password_env = excluded.password_env, token_env = excluded.token_env,
                    every_seconds = excluded.every_seconds, updated_at = excluded.updated_at,
                    cursor = CASE WHEN indicator_feeds.url = excluded.url
                        AND COALESCE(indicator_feeds.collection, '') = COALESCE(excluded.collection, '')
                        THEN indicator_feeds.cursor ELSE NULL END
                """
            ).run()
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: Date(milliseconds: at), actor: actor, action: "ioc.feed.save", target: "feed:\(feed.name)",
                        summary: AuditSummary(after: ["kind": feed.kind.rawValue, "url": feed.url]))
                ], on: sql, backend: backend)
        }
    }

    public func remove(named name: String, actor: String) async throws {
        let backend = database.backend
        let at = now()
        try await database.transaction { sql in
            let removed = try await sql.raw("DELETE FROM indicator_feeds WHERE name = \(bind: name) RETURNING name")
                .first()
            guard removed != nil else { throw CoreReconError.notFound(kind: "feed", id: name) }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: "ioc.feed.remove", target: "feed:\(name)",
                        summary: AuditSummary(after: [:]))
                ], on: sql, backend: backend)
        }
    }

    // MARK: Pulls

    /// Pulls a stored feed: fetches what is new since its cursor, imports it (warninglists and the retro-hunt
    /// as for any import), and records the new cursor and how it went. `full` starts from the beginning.
    public func pull(named name: String, full: Bool = false, actor: String) async throws -> FeedPullResult {
        _ = try await feed(named: name)  // an unknown name is "not found", not "being pulled"
        guard try await claim(name) else {
            throw CoreReconError.conflict("feed \(name) is being pulled by another process; try again later")
        }
        var feed: FeedSubscription
        do {
            feed = try await self.feed(named: name)
        } catch {
            try? await release(name, status: "\(error)", cursor: nil, summary: nil)
            throw error
        }
        if full { feed.cursor = nil }
        do {
            let result = try await fetchAndImport(feed, actor: actor)
            let summary = result.changed ? result.summary : nil
            try await release(
                name, status: "ok", cursor: result.cursor ?? feed.cursor,
                summary: summary.map {
                    "\($0.new) new, \($0.updated) updated, \($0.unchanged) unchanged, \(result.rejected.count) rejected"
                } ?? "nothing new")
            return result
        } catch {
            try? await release(name, status: "\(error)", cursor: feed.cursor, summary: nil)
            throw error
        }
    }

    /// Pulls a TAXII 2.1 collection once, without a stored feed. The cursor is still remembered, under the
    /// collection's URL, so a cron job running the same command fetches only what is new.
    public func pullTAXII(
        apiRoot: String, collection: String, addedAfter: String?, template: FeedSubscription, actor: String
    ) async throws -> FeedPullResult {
        var feed = template
        feed.kind = .taxii
        feed.url = apiRoot
        feed.collection = collection
        feed.name = Self.collectionURL(apiRoot: apiRoot, collection: collection)
        let stored = try? await self.feed(named: feed.name)
        if stored == nil {
            try await saveCursorOnly(feed, actor: actor)
        }
        guard try await claim(feed.name) else {
            throw CoreReconError.conflict("\(feed.name) is being pulled by another process; try again later")
        }
        feed.cursor = addedAfter ?? stored?.cursor
        do {
            let result = try await fetchAndImport(feed, actor: actor)
            try await release(feed.name, status: "ok", cursor: result.cursor ?? feed.cursor, summary: nil)
            return result
        } catch {
            try? await release(feed.name, status: "\(error)", cursor: stored?.cursor, summary: nil)
            throw error
        }
    }

    /// The feeds `serve` should pull now.
    public func due() async throws -> [FeedSubscription] {
        let at = now()
        return try await feeds().filter { $0.isDue(at: at) }
    }

    private func saveCursorOnly(_ feed: FeedSubscription, actor: String) async throws {
        let at = now().milliseconds
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO indicator_feeds (name, kind, url, collection, input_format, source, tlp, confidence, tags,
                    username, password_env, token_env, created_at, updated_at)
                VALUES (\(bind: feed.name), 'taxii', \(bind: feed.url), \(bind: feed.collection), 'stix',
                    \(bind: feed.source), \(bind: feed.tlp?.rawValue), \(bind: feed.confidence),
                    \(bind: SQLIndicatorRepository.json(feed.tags)), \(bind: feed.username),
                    \(bind: feed.passwordEnvironment), \(bind: feed.tokenEnvironment), \(bind: at), \(bind: at))
                ON CONFLICT (name) DO NOTHING
                """
            ).run()
        }
    }

    private func claim(_ name: String) async throws -> Bool {
        let at = now()
        let stale = at.addingTimeInterval(-Self.claimLifetime).milliseconds
        return try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE indicator_feeds SET pulling_since = \(bind: at.milliseconds)
                WHERE name = \(bind: name) AND (pulling_since IS NULL OR pulling_since < \(bind: stale))
                RETURNING name
                """
            ).first() != nil
        }
    }

    private func release(_ name: String, status: String, cursor: String?, summary: String?) async throws {
        let at = now().milliseconds
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE indicator_feeds SET pulling_since = NULL, last_pull = \(bind: at), last_status = \(bind: status),
                    cursor = \(bind: cursor), last_summary = COALESCE(\(bind: summary), last_summary)
                WHERE name = \(bind: name)
                """
            ).run()
        }
    }

    private func fetchAndImport(_ feed: FeedSubscription, actor: String) async throws -> FeedPullResult {
        var result = FeedPullResult(feed: feed.name)
        let reader = IndicatorFeedReader(source: feed.source)
        var gathered = IndicatorFeed(format: .auto)
        switch feed.kind {
        case .taxii:
            let (objects, newest) = try await taxiiObjects(feed)
            result.fetched = objects.count
            result.cursor = newest
            result.changed = !objects.isEmpty
            if !objects.isEmpty { gathered = try reader.read(stixObjects: objects, name: feed.name) }
        case .misp:
            let (events, newest) = try await mispEvents(feed)
            result.fetched = events.count
            result.cursor = newest
            result.changed = !events.isEmpty
            for (name, bytes) in events {
                let feedPart = try reader.read(bytes, name: name, format: .misp)
                gathered.reports += feedPart.reports
                gathered.rejections += feedPart.rejections
                gathered.skipped += feedPart.skipped
            }
        case .url:
            let (bytes, validator) = try await document(feed)
            result.cursor = validator
            guard let bytes else {
                result.changed = false
                return result
            }
            result.fetched = bytes.count
            gathered = try reader.read(
                bytes, name: feed.url, format: IndicatorFeedFormat(rawValue: feed.inputFormat) ?? .auto)
        }
        guard result.changed else { return result }
        let reports = gathered.reports.map { report in
            var report = report
            report.tlp = report.tlp ?? feed.tlp
            report.tags = IndicatorReport.merging(report.tags, feed.tags)
            return report
        }
        var summary = try await indicators.importReports(reports, actor: actor, defaultConfidence: feed.confidence)
        summary.rejected = gathered.rejections.count
        summary.read += gathered.rejections.count
        summary.skipped = gathered.skipped
        let retro = try await indicators.retroHunt(after: summary, actor: actor)
        if indicators.settings.retroHunt != nil { summary.retroMatches = Set(retro.map { $0.alertID }).count }
        if !summary.changed.isEmpty {
            do {
                try await indicators.refreshMatcherSnapshot()
            } catch {
                logger.notice(
                    "the indicator matcher was not rebuilt", metadata: ["feed": "\(feed.name)", "error": "\(error)"])
            }
        }
        result.summary = summary
        result.rejected = gathered.rejections
        return result
    }

    // MARK: Fetching

    private func authorization(_ feed: FeedSubscription) throws -> [(String, String)] {
        if let variable = feed.tokenEnvironment {
            guard let token = environment[variable], !token.isEmpty else {
                throw CoreReconError.configuration("feed \(feed.name): the token variable \(variable) is not set")
            }
            return [("Authorization", "Bearer \(token)")]
        }
        if let username = feed.username {
            let variable = feed.passwordEnvironment ?? "CORERECON_FEED_PASSWORD"
            guard let password = environment[variable] else {
                throw CoreReconError.configuration(
                    "feed \(feed.name): user \(username) needs a password in the environment variable \(variable)")
            }
            let credentials = Data("\(username):\(password)".utf8).base64EncodedString()
            return [("Authorization", "Basic \(credentials)")]
        }
        return []
    }

    static func collectionURL(apiRoot: String, collection: String) -> String {
        let root = apiRoot.hasSuffix("/") ? apiRoot : apiRoot + "/"
        let id =
            collection.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? collection
        return root + "collections/" + id + "/"
    }

    static func queryValue(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_", "~"])) ?? value
    }

    /// Every object added to the collection after the cursor, following `next` (or, from servers without it,
    /// `X-TAXII-Date-Added-Last`), and the newest date added seen.
    func taxiiObjects(_ feed: FeedSubscription) async throws -> ([JSONValue], String?) {
        guard let collection = feed.collection else {
            throw CoreReconError.configuration("feed \(feed.name): a TAXII feed needs a collection id")
        }
        let base = Self.collectionURL(apiRoot: feed.url, collection: collection) + "objects/"
        var headers = try authorization(feed)
        headers.append(("Accept", "application/taxii+json;version=2.1"))
        let fetcher = HTTPFetcher(timeout: timeout)
        var objects: [JSONValue] = []
        var addedAfter = feed.cursor
        var next: String?
        var newest = feed.cursor
        while true {
            var query: [String] = ["limit=1000"]
            if let addedAfter { query.append("added_after=" + Self.queryValue(addedAfter)) }
            if let next { query.append("next=" + Self.queryValue(next)) }
            // A server may hand out the same `next` token for every page of one listing (medallion does):
            // progress is each page's objects, and the cap on objects ends a server that never stops.
            let address = base + "?" + query.joined(separator: "&")
            let response = try await Self.get(fetcher, address, headers: headers)
            try Self.check(response, address: base, what: "TAXII collection \(collection)")
            let envelope: JSONValue
            do {
                envelope = try JSONParser.parse(response.body)
            } catch {
                throw CoreReconError.invalidInput(
                    location: "\(base):\(error.offset + 1)", reason: "not a TAXII envelope: \(error)")
            }
            guard envelope.members != nil else {
                throw CoreReconError.invalidInput(location: base, reason: "not a TAXII envelope: not a JSON object")
            }
            let page = envelope[key: "objects"]?.arrayValue ?? []
            objects += page
            guard objects.count <= Self.maximumObjects else {
                throw CoreReconError.unavailable(
                    "\(base): more than \(Self.maximumObjects) objects in one pull; pull with --added-after in steps")
            }
            let last = response.headers.first(name: "X-TAXII-Date-Added-Last")
            if let last, newest.map({ Self.isLater(last, than: $0) }) ?? true { newest = last }
            guard envelope[key: "more"]?.bool == true, !page.isEmpty else { break }
            if let token = envelope[key: "next"]?.nonEmptyText, !token.isEmpty {
                next = token
            } else if let last {
                next = nil
                addedAfter = last
            } else {
                throw CoreReconError.unavailable(
                    "\(base): the server says there is more but gives neither `next` nor X-TAXII-Date-Added-Last")
            }
        }
        return (objects, newest)
    }

    /// TAXII timestamps compare as instants; unparsable ones as text.
    static func isLater(_ a: String, than b: String) -> Bool {
        if let x = TimestampParser.date(from: .string(a)), let y = TimestampParser.date(from: .string(b)) {
            return x > y
        }
        return a > b
    }

    /// The events of a MISP feed newer than the cursor (the manifest's timestamps), from a URL or a directory.
    func mispEvents(_ feed: FeedSubscription) async throws -> ([(String, [UInt8])], String?) {
        let base = feed.url.hasSuffix("/") ? String(feed.url.dropLast()) : feed.url
        let headers = try authorization(feed)
        let manifest = try MISPFeedManifest.events(
            try await fetch(base + "/manifest.json", headers: headers), location: base + "/manifest.json")
        let since = feed.cursor.flatMap(Int64.init) ?? Int64.min
        var newest = feed.cursor.flatMap(Int64.init)
        var events: [(String, [UInt8])] = []
        for (uuid, timestamp) in manifest {
            guard timestamp > since else { continue }
            events.append(("\(base)/\(uuid).json", try await fetch("\(base)/\(uuid).json", headers: headers)))
            newest = max(newest ?? timestamp, timestamp)
        }
        return (events, newest.map(String.init))
    }

    /// A whole document from a URL or a local path.
    func fetch(_ address: String, headers: [(String, String)]) async throws -> [UInt8] {
        if !address.hasHTTPScheme {
            let path = address.hasPrefix("file://") ? String(address.dropFirst(7)) : address
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CoreReconError.invalidInput(location: path, reason: "cannot read the file")
            }
            return Array(data)
        }
        let response = try await Self.get(HTTPFetcher(timeout: timeout), address, headers: headers)
        try Self.check(response, address: address, what: address)
        return response.body
    }

    /// The document of a `url` feed, or nil when it has not changed since the cursor (its ETag or Last-Modified).
    func document(_ feed: FeedSubscription) async throws -> ([UInt8]?, String?) {
        guard feed.url.hasHTTPScheme else {
            return (try await fetch(feed.url, headers: []), nil)
        }
        var headers = try authorization(feed)
        if let cursor = feed.cursor {
            headers.append(
                cursor.hasPrefix("etag:")
                    ? ("If-None-Match", String(cursor.dropFirst(5)))
                    : ("If-Modified-Since", String(cursor.dropFirst("modified:".count))))
        }
        let response = try await Self.get(HTTPFetcher(timeout: timeout), feed.url, headers: headers)
        if response.status == 304 { return (nil, feed.cursor) }
        try Self.check(response, address: feed.url, what: feed.url)
        let validator =
            response.headers.first(name: "ETag").map { "etag:" + $0 }
            ?? response.headers.first(name: "Last-Modified").map { "modified:" + $0 }
        return (response.body, validator)
    }

    /// A GET whose transport failure names the address.
    static func get(_ fetcher: HTTPFetcher, _ address: String, headers: [(String, String)]) async throws
        -> HTTPFetcher.Response
    {
        do {
            return try await fetcher.get(address, headers: headers)
        } catch CoreReconError.unavailable(let reason) {
            throw CoreReconError.unavailable("cannot fetch \(address): \(reason)")
        }
    }

    static func check(_ response: HTTPFetcher.Response, address: String, what: String) throws {
        switch response.status {
        case 200...299: return
        case 401, 403:
            throw CoreReconError.unavailable(
                "\(address): HTTP \(response.status): the server refused the credentials for \(what)")
        case 404: throw CoreReconError.unavailable("\(address): HTTP 404: \(what) not found")
        default:
            throw CoreReconError.unavailable(
                "\(address): HTTP \(response.status) \(HTTPResponseStatus(statusCode: response.status).reasonPhrase)")
        }
    }

    static func decode(_ row: any SQLRow) throws -> FeedSubscription {
        var feed = FeedSubscription(
            name: try row.decode(column: "name", as: String.self),
            kind: FeedSubscription.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .url,
            url: try row.decode(column: "url", as: String.self),
            source: try row.decode(column: "source", as: String.self))
        feed.collection = try row.decode(column: "collection", as: String?.self)
        feed.inputFormat = try row.decode(column: "input_format", as: String.self)
        feed.tlp = try row.decode(column: "tlp", as: String?.self).flatMap(TLP.init(rawValue:))
        feed.confidence = try row.decode(column: "confidence", as: Int.self)
        feed.tags = SQLIndicatorRepository.strings(try row.decode(column: "tags", as: String.self))
        feed.username = try row.decode(column: "username", as: String?.self)
        feed.passwordEnvironment = try row.decode(column: "password_env", as: String?.self)
        feed.tokenEnvironment = try row.decode(column: "token_env", as: String?.self)
        feed.every = try row.decode(column: "every_seconds", as: Int64?.self).map(TimeInterval.init)
        feed.cursor = try row.decode(column: "cursor", as: String?.self)
        feed.lastPull = try row.decode(column: "last_pull", as: Int64?.self).map(Date.init(milliseconds:))
        feed.lastStatus = try row.decode(column: "last_status", as: String?.self)
        feed.lastSummary = try row.decode(column: "last_summary", as: String?.self)
        return feed
    }
}
