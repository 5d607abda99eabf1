import CoreRecon
import Foundation

/// `corerecon notify` as the commands use it, whichever side answers: the database and this machine's channels
/// (``LocalNotifications``), or the API of a running server and its channels (``RemoteNotifications``).
public protocol NotificationOperations: Sendable {
    func channels() async throws -> [ChannelStatus]
    /// Sends a test message to a channel at once; the receiver's answer.
    func test(_ channel: String) async throws -> String
    func list(state: String?, channel: String?, limit: Int) async throws -> [NotificationRecord]
    /// Queues dead letters again and delivers what is due.
    func retry(_ ids: [Int64]) async throws -> DeliveryReport
    /// Routes new events and delivers every due notification.
    func flush() async throws -> (queued: Int, report: DeliveryReport)
}

/// Notifications on the database, delivered from this process.
public struct LocalNotifications: NotificationOperations {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    public func channels() async throws -> [ChannelStatus] { try await services.notifications.channels() }

    public func test(_ channel: String) async throws -> String { try await services.notifications.test(channel) }

    public func list(state: String?, channel: String?, limit: Int) async throws -> [NotificationRecord] {
        try await services.notifications.list(state: state, channel: channel, limit: limit)
    }

    public func retry(_ ids: [Int64]) async throws -> DeliveryReport {
        for id in ids { try await services.notifications.retry(id) }
        return try await services.notifications.deliver()
    }

    public func flush() async throws -> (queued: Int, report: DeliveryReport) {
        try await services.notifications.flush()
    }
}

/// Notifications over the API (an admin's): `/api/v1/notify/channels`, `/api/v1/notifications`. The server's
/// channels send; a test or a flush here is one the server carries out.
public struct RemoteNotifications: NotificationOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    public func channels() async throws -> [ChannelStatus] {
        try await client.decode([ChannelStatus].self, .GET, "/api/v1/notify/channels")
    }

    public func test(_ channel: String) async throws -> String {
        let path = "/api/v1/notify/channels/\(APIClient.pathSegment(channel))/test"
        let answer = try await client.json(.POST, path)
        if let text = answer[key: "answer"]?.text { return text }
        guard let error = answer[key: "error"]?.text, let temporary = answer[key: "temporary"]?.bool else {
            throw CoreReconError.unavailable(
                "\(client.target.server) answered POST \(path) with what this corerecon cannot read")
        }
        // The receiver's failure, as a test from this machine would report it.
        throw temporary ? CoreReconError.unavailable(error) : CoreReconError.failed(error)
    }

    public func list(state: String?, channel: String?, limit: Int) async throws -> [NotificationRecord] {
        var query: [(String, String)] = [("limit", String(limit))]
        if let state { query.append(("state", state)) }
        if let channel { query.append(("channel", channel)) }
        return try await client.decode([NotificationRecord].self, .GET, "/api/v1/notifications", query: query)
    }

    public func retry(_ ids: [Int64]) async throws -> DeliveryReport {
        for id in ids { _ = try await client.send(.POST, "/api/v1/notifications/\(id)/retry", idempotent: true) }
        return try await flush().report
    }

    public func flush() async throws -> (queued: Int, report: DeliveryReport) {
        struct Answer: Decodable {
            var queued: Int
            var delivered: Int
            var retrying: Int
            var failed: Int
        }
        let answer = try await client.decode(Answer.self, .POST, "/api/v1/notifications/flush")
        var report = DeliveryReport()
        report.delivered = answer.delivered
        report.retrying = answer.retrying
        report.failed = answer.failed
        return (answer.queued, report)
    }
}
