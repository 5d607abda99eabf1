import CoreRecon
import Foundation
import NIOHTTP1

/// `corerecon ioc feed` as the commands use it, whichever side answers: the database, pulling from this machine
/// (``FeedService``), or the API of a running server, which pulls (``RemoteFeeds``).
public protocol FeedOperations: Sendable {
    func feeds() async throws -> [FeedSubscription]
    func feed(named name: String) async throws -> FeedSubscription
    /// Adds a feed, or replaces the settings of one with the same name.
    func save(_ feed: FeedSubscription, actor: String) async throws
    func remove(named name: String, actor: String) async throws
    func pull(named name: String, full: Bool, actor: String) async throws -> FeedPullResult
    /// Pulls a TAXII 2.1 collection once (`ioc import --taxii`), remembering where it stopped under the
    /// collection's address; `template` gives the source, TLP, confidence, tags and credential names.
    func pullTAXII(
        apiRoot: String, collection: String, addedAfter: String?, template: FeedSubscription, actor: String
    ) async throws -> FeedPullResult
}

extension FeedOperations {
    /// The feeds whose `--every` has passed since their last pull.
    public func due(at now: Date = Date()) async throws -> [FeedSubscription] {
        try await feeds().filter { $0.isDue(at: now) }
    }
}

extension FeedService: FeedOperations {}

/// Feeds over the API: `/api/v1/ioc-feeds`. The server fetches them, with its own network and the credentials
/// in its environment; adding and removing feeds is for admins.
public struct RemoteFeeds: FeedOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    func path(_ name: String, _ suffix: String = "") -> String {
        "/api/v1/ioc-feeds/\(APIClient.pathSegment(name))\(suffix)"
    }

    public func feeds() async throws -> [FeedSubscription] {
        try await client.decode([FeedSubscription].self, .GET, "/api/v1/ioc-feeds")
    }

    public func feed(named name: String) async throws -> FeedSubscription {
        guard let feed = try await feeds().first(where: { $0.name == name }) else {
            throw CoreReconError.notFound(kind: "feed", id: name)
        }
        return feed
    }

    public func save(_ feed: FeedSubscription, actor: String) async throws {
        try FeedSubscription.checkName(feed.name)
        var members = [JSONMember("kind", .string(feed.kind.rawValue)), JSONMember("url", .string(feed.url))]
        func add(_ key: String, _ value: String?) { if let value { members.append(JSONMember(key, .string(value))) } }
        add("collection", feed.collection)
        add("inputFormat", feed.inputFormat)
        add("source", feed.source)
        add("tlp", feed.tlp?.rawValue)
        members.append(JSONMember("confidence", .int(feed.confidence)))
        if !feed.tags.isEmpty { members.append(JSONMember("tags", .array(feed.tags.map(JSONValue.string)))) }
        if let every = feed.every { members.append(JSONMember("every", .int(Int(every)))) }
        add("username", feed.username)
        add("passwordEnv", feed.passwordEnvironment)
        add("tokenEnv", feed.tokenEnvironment)
        _ = try await client.send(.PUT, path(feed.name), body: Array(JSONValue.object(members).jsonString.utf8))
    }

    public func remove(named name: String, actor: String) async throws {
        _ = try await client.send(.DELETE, path(name))
    }

    /// The server pulls it, with its own network and the credentials in its environment: for admins, as feeds are.
    public func pullTAXII(
        apiRoot: String, collection: String, addedAfter: String?, template: FeedSubscription, actor: String
    ) async throws -> FeedPullResult {
        var members = [JSONMember("apiRoot", .string(apiRoot)), JSONMember("collection", .string(collection))]
        func add(_ key: String, _ value: String?) { if let value { members.append(JSONMember(key, .string(value))) } }
        add("addedAfter", addedAfter)
        add("source", template.source)
        add("tlp", template.tlp?.rawValue)
        members.append(JSONMember("confidence", .int(template.confidence)))
        if !template.tags.isEmpty { members.append(JSONMember("tags", .array(template.tags.map(JSONValue.string)))) }
        add("username", template.username)
        add("passwordEnv", template.passwordEnvironment)
        add("tokenEnv", template.tokenEnvironment)
        let path = "/api/v1/taxii-pulls"
        let response = try await client.send(.POST, path, body: Array(JSONValue.object(members).jsonString.utf8))
        return try client.decode(FeedPullResult.self, response, .POST, path)
    }

    public func pull(named name: String, full: Bool, actor: String) async throws -> FeedPullResult {
        let path = path(name, "/pull")
        let response = try await client.send(
            .POST, path, query: full ? [("full", "true")] : [], accepting: [404])
        if response.status == 404 { throw CoreReconError.notFound(kind: "feed", id: name) }
        return try client.decode(FeedPullResult.self, response, .POST, path)
    }
}
