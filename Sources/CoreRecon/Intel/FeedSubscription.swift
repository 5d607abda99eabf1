import Foundation

/// A named indicator feed that `ioc feed pull` (and `serve`, on its schedule) fetches: a TAXII 2.1 collection, a
/// MISP feed (its `manifest.json` and one file per event), or the URL of a list, CSV, STIX bundle or MISP event.
/// Secrets are never stored: the feed names the environment variables that hold them.
public struct FeedSubscription: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case taxii
        case misp
        case url
    }

    public var name: String
    public var kind: Kind
    /// TAXII: the API root; MISP: the feed's base URL or directory; url: the document.
    public var url: String
    /// TAXII: the collection's id.
    public var collection: String?
    /// For `url` feeds: the document's format.
    public var inputFormat: String = "auto"
    /// The name imported indicators carry as their source.
    public var source: String
    public var tlp: TLP?
    public var confidence: Int = 75
    public var tags: [String] = []
    public var username: String?
    /// The environment variable holding the password for basic authentication.
    public var passwordEnvironment: String?
    /// The environment variable holding a bearer token.
    public var tokenEnvironment: String?
    /// How often `serve` pulls it; nil: only on demand.
    public var every: TimeInterval?
    /// Where the next pull starts: TAXII's last date added, a MISP feed's newest event timestamp, a document's
    /// ETag or Last-Modified.
    public var cursor: String?
    public var lastPull: Date?
    /// "ok", or what went wrong.
    public var lastStatus: String?
    public var lastSummary: String?

    public init(name: String, kind: Kind, url: String, source: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.source = source ?? name
    }

    /// Whether `serve` should pull it at `now`.
    public func isDue(at now: Date) -> Bool {
        guard let every else { return false }
        guard let lastPull else { return true }
        return now.timeIntervalSince(lastPull) >= every
    }

    /// Names are short identifiers: letters, digits, `.`, `_`, `-`.
    public static func checkName(_ name: String) throws(CoreReconError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains) else {
            throw .invalidInput(
                location: "name", reason: "'\(name)' is not a feed name: use up to 64 letters, digits, '.', '_' or '-'")
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, url, collection, inputFormat, source, tlp, confidence, tags, username, passwordEnvironment,
            tokenEnvironment, every, cursor, lastPull, lastStatus, lastSummary
    }
}

/// What one pull of a feed did.
public struct FeedPullResult: Sendable, Codable {
    public var feed: String
    /// Objects, events or bytes fetched.
    public var fetched: Int = 0
    /// False when the server said nothing changed (HTTP 304, no newer events, no objects).
    public var changed = true
    public var summary = IndicatorImportSummary()
    public var rejected: [Rejection] = []
    public var cursor: String?

    public init(feed: String) {
        self.feed = feed
    }

    enum CodingKeys: String, CodingKey {
        case feed, fetched, changed, summary, rejected, cursor
    }

    /// A rejected record as the JSON gives it: where it was and why (not the record itself).
    struct RejectedRecord: Codable {
        var location: String
        var reason: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        feed = try container.decode(String.self, forKey: .feed)
        fetched = try container.decode(Int.self, forKey: .fetched)
        changed = try container.decode(Bool.self, forKey: .changed)
        summary = try container.decode(IndicatorImportSummary.self, forKey: .summary)
        rejected = (try container.decodeIfPresent([RejectedRecord].self, forKey: .rejected) ?? []).map {
            Rejection(location: $0.location, reason: $0.reason, raw: "")
        }
        cursor = try container.decodeIfPresent(String.self, forKey: .cursor)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(feed, forKey: .feed)
        try container.encode(fetched, forKey: .fetched)
        try container.encode(changed, forKey: .changed)
        try container.encode(summary, forKey: .summary)
        try container.encode(
            rejected.map { RejectedRecord(location: $0.location, reason: $0.reason) }, forKey: .rejected)
        try container.encodeIfPresent(cursor, forKey: .cursor)
    }
}
