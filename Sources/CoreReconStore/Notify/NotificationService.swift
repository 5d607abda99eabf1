import CoreRecon
import Crypto
import Foundation
import Logging
import SQLKit

/// One notification in the outbox.
public struct NotificationRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var channel: String
    public var rule: String?
    public var eventType: String
    public var subject: String
    /// `pending`, `delivered` or `failed` (a dead letter).
    public var state: String
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    public var lastError: String?
    public var response: String?
}

/// A channel with how its deliveries went.
public struct ChannelStatus: Sendable, Equatable, Codable {
    public var name: String
    public var type: String
    public var target: String
    public var pending: Int
    public var failed: Int
    public var lastSuccess: Date?
    public var lastFailure: Date?
    public var lastError: String?
}

/// What one delivery pass did.
public struct DeliveryReport: Sendable, Equatable, Codable {
    public var delivered = 0
    public var retrying = 0
    public var failed = 0
    /// Not tried in this pass: their channel had just failed; they wait for its retry.
    public var deferred = 0

    public init() {}

    var attempted: Int { delivered + retrying + failed }

    mutating func add(_ other: DeliveryReport) {
        delivered += other.delivered
        retrying += other.retrying
        failed += other.failed
        deferred += other.deferred
    }
}

/// Notifications: a router that turns events (the events table, written in the transaction of each change) into
/// outbox rows by the configured rules, in one transaction with its cursor, so each event is routed once; and a
/// deliverer that claims due rows, sends them, and records the answer, retrying with exponential backoff until
/// the last attempt makes a dead letter.
public struct NotificationService: Sendable {
    let database: Database
    public let settings: NotifySettings
    let sla: SLASettings
    let environment: [String: String]
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        database: Database, settings: NotifySettings, sla: SLASettings, environment: [String: String],
        logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        self.database = database
        self.settings = settings
        self.sla = sla
        self.environment = environment
        self.logger = logger
        self.now = now
    }

    private var backend: DatabaseBackend { database.backend }
    static let cursorName = "router"

    /// Whether any rule or breach action sends notifications: only then are events routed (and kept until they
    /// are).
    public var routesEvents: Bool {
        !settings.rules.isEmpty || sla.policies.contains(where: { !$0.onBreach.notify.isEmpty })
    }
    static let routeBatch = 1_000

    // MARK: - Routing

    /// Routes every event written since the last run; returns how many notifications were queued. The cursor
    /// starts at the newest event when the schema is created (history is not notified).
    @discardableResult
    public func route() async throws -> Int {
        // A read first: with nothing new, routing takes no write lock.
        let behind = try await database.read { sql in
            let cursor = try await sql.raw("SELECT cursor FROM notify_state WHERE name = \(bind: Self.cursorName)")
                .first(decodingColumn: "cursor", as: Int64.self)
            let newest =
                try await sql.raw("SELECT MAX(id) AS newest FROM events").first(
                    decodingColumn: "newest", as: Int64?.self) ?? nil
            if cursor == nil || (newest ?? 0) > (cursor ?? 0) { return true }
            // Or a summary of what throttling held back is due.
            let at = now()
            for row in try await sql.raw("SELECT rule, last_sent_at FROM notify_throttle WHERE suppressed > 0").all() {
                let name = try row.decode(column: "rule", as: String.self)
                let last = Date(milliseconds: try row.decode(column: "last_sent_at", as: Int64.self))
                if let interval = settings.rules.first(where: { $0.name == name })?.throttle,
                    at.timeIntervalSince(last) >= interval.seconds
                {
                    return true
                }
            }
            return false
        }
        guard behind else { return 0 }
        guard routesEvents else {
            // Nothing to route: keep the cursor at the newest event, so rules added later start from then rather
            // than notifying the day of events the table keeps.
            try await database.transaction { sql in
                try await sql.raw(
                    """
                    UPDATE notify_state SET cursor = (SELECT COALESCE(MAX(id), 0) FROM events)
                    WHERE name = \(bind: Self.cursorName)
                    """
                ).run()
            }
            return 0
        }
        var queued = 0
        while true {
            let (count, more) = try await database.transaction { sql in try await routeBatch(on: sql) }
            queued += count
            if !more { break }
        }
        return queued
    }

    private func routeBatch(on sql: any SQLDatabase) async throws -> (Int, Bool) {
        let at = now()
        try await sql.raw(
            """
            INSERT INTO notify_state (name, cursor)
            VALUES (\(bind: Self.cursorName), (SELECT COALESCE(MAX(id), 0) FROM events))
            ON CONFLICT (name) DO NOTHING
            """
        ).run()
        guard
            let cursor = try await sql.raw(
                "SELECT cursor FROM notify_state WHERE name = \(bind: Self.cursorName)\(unsafeRaw: backend.lockForUpdate)"
            ).first(decodingColumn: "cursor", as: Int64.self)
        else { return (0, false) }
        let events = try await EventLog.events(after: cursor, limit: Self.routeBatch, on: sql)
        var throttles: [String: (lastSent: Date, suppressed: Int, firstSuppressed: Date?, isNew: Bool)] = [:]
        var rows: [SQLQueryString] = []
        // The message that says what a rule's throttle held back for one key.
        func summaryRows(_ rule: NotifyRule, key: String, suppressed: Int, since: Date) -> [SQLQueryString] {
            let scope = key.isEmpty ? "" : " (\(key))"
            let title =
                "\(suppressed) more \(rule.events.joined(separator: "/")) held back by rule \(rule.name)\(scope)"
                + " since \(ISO8601Format.forPeople(since))"
            let summary = JSONValue.object([
                JSONMember("type", .string("notify.summary")),
                JSONMember("at", .string(ISO8601Format.string(from: at))),
                JSONMember(
                    "incident",
                    .object([
                        JSONMember("id", .string(rule.name)), JSONMember("title", .string(title)),
                        JSONMember("suppressed", .int(suppressed)),
                    ])),
            ]).jsonString
            let subject = (try? NotificationMessage(eventJSON: summary).subject) ?? title
            return rule.channels.map { channel in
                """
                (\(bind: channel), \(bind: rule.name), 'notify.summary', NULL, \(bind: subject), \(bind: summary),
                 \(bind: at.milliseconds), 'pending', 0, \(bind: at.milliseconds))
                """
            }
        }
        let policies = Dictionary(sla.policies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for event in events {
            let message = event.message
            guard let parsed = try? NotificationMessage(eventJSON: message) else { continue }
            var channels: [(String, String?)] = []
            for rule in settings.rules where try await matches(rule, event, parsed, on: sql) {
                if let interval = rule.throttle {
                    let key = rule.name + "\u{1F}" + throttleKey(rule, event, parsed)
                    var state = throttles[key]
                    if state == nil {
                        let parts = key.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
                        if let row = try await sql.raw(
                            """
                            SELECT last_sent_at, suppressed, first_suppressed_at FROM notify_throttle
                            WHERE rule = \(bind: parts[0]) AND key = \(bind: parts.count > 1 ? parts[1] : "")
                            """
                        ).first() {
                            state = (
                                Date(milliseconds: try row.decode(column: "last_sent_at", as: Int64.self)),
                                try row.decode(column: "suppressed", as: Int.self),
                                try row.decode(column: "first_suppressed_at", as: Int64?.self).map(
                                    Date.init(milliseconds:)), false
                            )
                        }
                    }
                    if let current = state, event.at.timeIntervalSince(current.lastSent) < interval.seconds {
                        throttles[key] = (
                            current.lastSent, current.suppressed + 1, current.firstSuppressed ?? event.at, current.isNew
                        )
                        continue
                    }
                    // A new window: first say what the last one held back, so a storm that goes on is summarised
                    // window by window, not only when it ends.
                    if let current = state, current.suppressed > 0 {
                        let keyPart = key.split(separator: "\u{1F}", maxSplits: 1).dropFirst().first.map(String.init)
                        rows += summaryRows(
                            rule, key: keyPart ?? "", suppressed: current.suppressed,
                            since: current.firstSuppressed ?? current.lastSent)
                    }
                    throttles[key] = (event.at, 0, nil, state == nil)
                }
                for channel in rule.channels where !channels.contains(where: { $0.0 == channel }) {
                    channels.append((channel, rule.name))
                }
            }
            if event.type == "sla.breached", let policy = Self.slaPolicy(parsed).flatMap({ policies[$0] }) {
                for channel in policy.onBreach.notify where !channels.contains(where: { $0.0 == channel }) {
                    channels.append((channel, "sla:\(policy.name)"))
                }
            }
            for (channel, rule) in channels {
                rows.append(
                    """
                    (\(bind: channel), \(bind: rule), \(bind: event.type), \(bind: event.id), \(bind: parsed.subject),
                     \(bind: message), \(bind: at.milliseconds), 'pending', 0, \(bind: at.milliseconds))
                    """)
            }
        }
        // Summaries of what throttling held back, once each window has passed.
        for row in try await sql.raw(
            "SELECT rule, key, last_sent_at, suppressed, first_suppressed_at FROM notify_throttle WHERE suppressed > 0"
        ).all() {
            let rule = try row.decode(column: "rule", as: String.self)
            let key = try row.decode(column: "key", as: String.self)
            let mapKey = rule + "\u{1F}" + key
            if throttles[mapKey] != nil { continue }
            throttles[mapKey] = (
                Date(milliseconds: try row.decode(column: "last_sent_at", as: Int64.self)),
                try row.decode(column: "suppressed", as: Int.self),
                try row.decode(column: "first_suppressed_at", as: Int64?.self).map(Date.init(milliseconds:)), false
            )
        }
        for (key, state) in throttles where state.suppressed > 0 {
            let parts = key.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
            guard let rule = settings.rules.first(where: { $0.name == parts[0] }), let interval = rule.throttle,
                at.timeIntervalSince(state.lastSent) >= interval.seconds
            else { continue }
            rows += summaryRows(
                rule, key: parts.count > 1 ? parts[1] : "", suppressed: state.suppressed,
                since: state.firstSuppressed ?? state.lastSent)
            throttles[key] = (at, 0, nil, state.isNew)
        }
        for (key, state) in throttles {
            let parts = key.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
            try await sql.raw(
                """
                INSERT INTO notify_throttle (rule, key, last_sent_at, suppressed, first_suppressed_at)
                VALUES (\(bind: parts[0]), \(bind: parts.count > 1 ? parts[1] : ""), \(bind: state.lastSent.milliseconds),
                        \(bind: state.suppressed), \(bind: state.firstSuppressed?.milliseconds))
                ON CONFLICT (rule, key) DO UPDATE SET last_sent_at = excluded.last_sent_at,
                    suppressed = excluded.suppressed, first_suppressed_at = excluded.first_suppressed_at
                """
            ).run()
        }
        for start in stride(from: 0, to: rows.count, by: 500) {
            var statement: SQLQueryString = """
                INSERT INTO notifications (channel, rule, event_type, event_id, subject, payload, created_at, state,
                    attempts, next_attempt_at) VALUES
                """
            for (index, row) in rows[start..<min(start + 500, rows.count)].enumerated() {
                if index > 0 { statement.appendLiteral(", ") }
                statement.appendInterpolation(row)
            }
            try await sql.raw(statement).run()
        }
        if let last = events.last {
            try await sql.raw(
                "UPDATE notify_state SET cursor = \(bind: last.id) WHERE name = \(bind: Self.cursorName)"
            ).run()
        }
        return (rows.count, events.count == Self.routeBatch)
    }

    static func slaPolicy(_ message: NotificationMessage) -> String? {
        guard let resource = message.event.members?.first(where: { $0.key == "alert" || $0.key == "incident" }),
            let sla = resource.value.members?.first(where: { $0.key == "sla" })?.value.members
        else { return nil }
        return sla.first { $0.key == "policy" }?.value.text
    }

    private func matches(
        _ rule: NotifyRule, _ event: StoredEvent, _ message: NotificationMessage, on sql: any SQLDatabase
    )
        async throws -> Bool
    {
        guard rule.events.contains(event.type) else { return false }
        if let minimum = rule.minimumSeverity {
            guard let severity = event.severity, severity.rawValue >= minimum.rawValue, severity != .other else {
                return false
            }
        }
        if !rule.sources.isEmpty {
            guard let source = event.source ?? message.facts.first(where: { $0.0 == "Source" })?.1,
                rule.sources.contains(source)
            else { return false }
        }
        if !rule.tactics.isEmpty {
            let catalog = ATTACKCatalog.embedded
            let wanted = Set(rule.tactics.map { catalog.tactic($0)?.shortName ?? $0 })
            let techniques =
                message.facts.first(where: { $0.0 == "ATT&CK" })?.1.split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                } ?? []
            let tactics = Set(techniques.flatMap { catalog.technique($0)?.tactics ?? [] })
            guard !tactics.isDisjoint(with: wanted) else { return false }
        }
        if event.type == "incident.updated" {
            // Only a change of state is news.
            guard let key = IncidentKey(reference: message.reference) else { return false }
            let changed = try await sql.raw(
                """
                SELECT 1 AS hit FROM incident_history h JOIN incidents i ON i.id = h.incident_id
                WHERE i.year = \(bind: key.year) AND i.number = \(bind: key.number) AND h.field = 'state'
                    AND h.at = \(bind: event.at.milliseconds)
                LIMIT 1
                """
            ).first()
            guard changed != nil else { return false }
        }
        return true
    }

    private func throttleKey(_ rule: NotifyRule, _ event: StoredEvent, _ message: NotificationMessage) -> String {
        switch rule.throttleKey {
        case "source": event.source ?? "-"
        case "severity": event.severity?.name ?? "-"
        case "assignee": event.assignee ?? "-"
        case "target": message.reference
        default: ""
        }
    }

    // MARK: - Delivering

    /// Delivers due notifications (at most `limit`), each claimed so that two processes never send the same one
    /// at once.
    public func deliver(limit: Int = 200) async throws -> DeliveryReport {
        let at = now()
        let claimFor = Int64(settings.channels.values.map(\.timeout.seconds).max() ?? 10) * 2_000 + 30_000
        let skipLocked = backend == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let due = try await database.read { sql in
            try await sql.raw(
                """
                SELECT id FROM notifications WHERE state = 'pending' AND next_attempt_at <= \(bind: at.milliseconds)
                    AND (claimed_until IS NULL OR claimed_until < \(bind: at.milliseconds))
                LIMIT 1
                """
            ).first() != nil
        }
        guard due else { return DeliveryReport() }
        let claimed = try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE notifications SET claimed_until = \(bind: at.milliseconds + claimFor)
                WHERE id IN (
                    SELECT id FROM notifications
                    WHERE state = 'pending' AND next_attempt_at <= \(bind: at.milliseconds)
                        AND (claimed_until IS NULL OR claimed_until < \(bind: at.milliseconds))
                    ORDER BY id LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: skipLocked))
                  AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < \(bind: at.milliseconds + claimFor))
                RETURNING id, channel, payload, attempts
                """
            ).all().map {
                (
                    id: try $0.decode(column: "id", as: Int64.self),
                    channel: try $0.decode(column: "channel", as: String.self),
                    payload: try $0.decode(column: "payload", as: String.self),
                    attempts: try $0.decode(column: "attempts", as: Int.self)
                )
            }.sorted { $0.id < $1.id }
        }
        // Channels are delivered side by side, each in order. After a channel's first temporary failure, the rest
        // of its notifications in this pass wait for that one's retry instead of each waiting out a timeout
        // against a receiver that is down.
        var byChannel: [String: [Claimed]] = [:]
        for item in claimed { byChannel[item.channel, default: []].append(item) }
        let reports = try await withThrowingTaskGroup(of: DeliveryReport.self) { group in
            for (name, items) in byChannel {
                group.addTask { try await deliver(items, channel: name) }
            }
            var reports: [DeliveryReport] = []
            for try await report in group { reports.append(report) }
            return reports
        }
        return reports.reduce(into: DeliveryReport()) { total, report in total.add(report) }
    }

    typealias Claimed = (id: Int64, channel: String, payload: String, attempts: Int)

    private func deliver(_ items: [Claimed], channel name: String) async throws -> DeliveryReport {
        var report = DeliveryReport()
        var deadLetters: [Int64] = []
        var lastReason = ""
        for (index, item) in items.enumerated() {
            let attempts = item.attempts + 1
            do {
                guard let channel = settings.channels[item.channel] else {
                    throw DeliveryFailure.permanent("no channel named \(item.channel) is configured")
                }
                let message = try NotificationMessage(eventJSON: item.payload)
                let answer = try await send(message, via: channel, deliveryID: "corerecon-\(item.id)")
                try await database.transaction { sql in
                    try await sql.raw(
                        """
                        UPDATE notifications SET state = 'delivered', attempts = \(bind: attempts),
                            last_attempt_at = \(bind: now().milliseconds),
                            delivered_at = \(bind: now().milliseconds), response = \(bind: String(answer.prefix(500))),
                            claimed_until = NULL, last_error = NULL
                        WHERE id = \(bind: item.id)
                        """
                    ).run()
                }
                report.delivered += 1
            } catch {
                let (reason, permanent): (String, Bool) =
                    switch error {
                    case DeliveryFailure.permanent(let text): (text, true)
                    case DeliveryFailure.temporary(let text): (text, false)
                    default: ("\(error)", false)
                    }
                lastReason = reason
                let dead = permanent || attempts >= settings.maxAttempts
                let next = now().addingTimeInterval(settings.backoff(afterAttempts: attempts))
                let rest = dead ? [] : items[(index + 1)...].map(\.id)
                try await database.transaction { sql in
                    try await sql.raw(
                        """
                        UPDATE notifications SET state = \(bind: dead ? "failed" : "pending"), attempts = \(bind: attempts),
                            last_attempt_at = \(bind: now().milliseconds),
                            next_attempt_at = \(bind: next.milliseconds), last_error = \(bind: String(reason.prefix(500))),
                            claimed_until = NULL
                        WHERE id = \(bind: item.id)
                        """
                    ).run()
                    // The channel is down: the rest wait as long as this one, without an attempt counted.
                    for start in stride(from: 0, to: rest.count, by: backend.maximumBinds) {
                        let chunk = Array(rest[start..<min(start + backend.maximumBinds, rest.count)])
                        try await sql.raw(
                            """
                            UPDATE notifications SET next_attempt_at = \(bind: next.milliseconds), claimed_until = NULL
                            WHERE id IN (\(binds: chunk))
                            """
                        ).run()
                    }
                }
                if dead {
                    report.failed += 1
                    deadLetters.append(item.id)
                } else {
                    report.retrying += 1
                    report.deferred += rest.count
                    break
                }
            }
        }
        if report.retrying > 0 || !deadLetters.isEmpty {
            var parts: [String] = []
            if report.retrying > 0 {
                parts.append("a delivery failed and will be retried (\(report.deferred) more wait for it)")
            }
            if !deadLetters.isEmpty {
                let ids = deadLetters.prefix(10).map(String.init).joined(separator: ", ")
                parts.append(
                    "\(deadLetters.count) became dead letters (\(ids)\(deadLetters.count > 10 ? ", ..." : ""); "
                        + "`corerecon notify retry ID`)")
            }
            logger.warning("notifications to \(name): \(parts.joined(separator: "; ")): \(lastReason)")
        }
        return report
    }

    /// Routes, then delivers what is due, at most `budget` notifications (the rest wait for the next flush:
    /// a sweep after an alert storm must not spend its run sending); for `notify flush`, `sla sweep` and the
    /// server's loop.
    public func flush(budget: Int = 1_000) async throws -> (queued: Int, report: DeliveryReport) {
        let queued = try await route()
        var total = DeliveryReport()
        while total.attempted < budget {
            let report = try await deliver(limit: min(200, budget - total.attempted))
            total.add(report)
            if report.attempted + report.deferred == 0 { break }
        }
        return (queued, total)
    }

    enum DeliveryFailure: Error {
        /// The receiver refused it for good (a 4xx, a configuration error): no retry helps.
        case permanent(String)
        case temporary(String)
    }

    /// Sends one message; returns the receiver's answer.
    func send(_ message: NotificationMessage, via channel: NotifyChannel, deliveryID: String) async throws -> String {
        switch channel.kind {
        case .webhook, .slack, .teams:
            guard let urlSource = channel.url else { throw DeliveryFailure.permanent("the channel has no URL") }
            let url: String
            do { url = try urlSource.resolve(environment) } catch { throw DeliveryFailure.permanent("\(error)") }
            let body: JSONValue =
                switch channel.kind {
                case .slack: message.slackBody
                case .teams: message.teamsBody
                default: message.webhookBody(deliveryID: deliveryID)
                }
            let bytes = Array(body.jsonString.utf8)
            var headers = [("Content-Type", "application/json"), ("X-CoreRecon-Delivery", deliveryID)]
            if channel.kind == .webhook, let secretSource = channel.secret {
                let secret: String
                do { secret = try secretSource.resolve(environment) } catch {
                    throw DeliveryFailure.permanent("\(error)")
                }
                let timestamp = String(Int(now().timeIntervalSince1970))
                let signature = HMAC<SHA256>.authenticationCode(
                    for: Array((timestamp + ".").utf8) + bytes, using: SymmetricKey(data: Array(secret.utf8)))
                headers.append(("X-CoreRecon-Signature", "t=\(timestamp),v1=\(Hex.encode(signature))"))
            }
            let response: HTTPFetcher.Response
            do {
                response = try await HTTPFetcher(timeout: channel.timeout, maximumBytes: 1 << 16).post(
                    url, headers: headers, body: bytes)
            } catch {
                throw DeliveryFailure.temporary("\(error)")
            }
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            let answer = "HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text)")
            switch response.status {
            case 200..<300: return answer
            case 408, 429, 500...: throw DeliveryFailure.temporary(answer)
            default: throw DeliveryFailure.permanent(answer)
            }
        case .email:
            let password: String?
            do { password = try channel.password?.resolve(environment) } catch {
                throw DeliveryFailure.permanent("\(error)")
            }
            let sender = SMTPSender(
                url: channel.smtpURL ?? "", requireTLS: channel.starttls, username: channel.username,
                password: password, from: channel.from ?? "", recipients: channel.to, caFile: channel.caFile,
                timeout: channel.timeout)
            let mime = message.email(
                from: channel.from ?? "", to: channel.to, date: now(), messageID: deliveryID + "." + UUID().uuidString)
            do {
                return "SMTP \(try await sender.send(mime))"
            } catch {
                throw DeliveryFailure.temporary("\(error)")
            }
        case .syslog:
            let sender: SyslogSender
            do {
                sender = try SyslogSender(
                    address: channel.address ?? "", timeout: channel.timeout, caFile: channel.caFile)
            } catch { throw DeliveryFailure.permanent("\(error)") }
            let host = ProcessInfo.processInfo.hostName
            do {
                try await sender.send(message.syslog(facility: channel.facility, hostname: host, date: now()))
            } catch {
                throw DeliveryFailure.temporary("\(error)")
            }
            return "sent over \(sender.transport.rawValue)"
        }
    }

    /// Sends a test message to `channel` at once (not through the outbox); returns the receiver's answer.
    public func test(_ name: String) async throws -> String {
        guard let channel = settings.channels[name] else {
            throw CoreReconError.notFound(kind: "notification channel", id: name)
        }
        let event = JSONValue.object([
            JSONMember("type", .string("notify.test")),
            JSONMember("at", .string(ISO8601Format.string(from: now()))),
            JSONMember(
                "alert",
                .object([
                    JSONMember("id", .int(0)), JSONMember("title", .string("Test of channel \(name)")),
                    JSONMember("severity", .string("informational")),
                ])),
        ]).jsonString
        do {
            return try await send(
                try NotificationMessage(eventJSON: event), via: channel,
                deliveryID: "corerecon-test-\(UUID().uuidString)")
        } catch DeliveryFailure.permanent(let reason) {
            throw CoreReconError.failed("\(name): \(reason)")
        } catch DeliveryFailure.temporary(let reason) {
            throw CoreReconError.unavailable("\(name): \(reason)")
        }
    }

    // MARK: - Listing

    public func list(state: String?, channel: String?, limit: Int) async throws -> [NotificationRecord] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let state { conditions.append("state = \(bind: state)") }
        if let channel { conditions.append("channel = \(bind: channel)") }
        var query: SQLQueryString = """
            SELECT id, channel, rule, event_type, subject, state, attempts, created_at, next_attempt_at, delivered_at,
                last_error, response FROM notifications WHERE
            """
        for (index, condition) in conditions.enumerated() {
            query.appendLiteral(index > 0 ? " AND " : " ")
            query.appendInterpolation(condition)
        }
        query.appendLiteral(" ORDER BY id DESC LIMIT \(limit)")
        let final = query
        return try await database.read { sql in
            try await sql.raw(final).all().map { row in
                NotificationRecord(
                    id: try row.decode(column: "id", as: Int64.self),
                    channel: try row.decode(column: "channel", as: String.self),
                    rule: try row.decode(column: "rule", as: String?.self),
                    eventType: try row.decode(column: "event_type", as: String.self),
                    subject: try row.decode(column: "subject", as: String.self),
                    state: try row.decode(column: "state", as: String.self),
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    nextAttemptAt: Date(milliseconds: try row.decode(column: "next_attempt_at", as: Int64.self)),
                    deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self).map(Date.init(milliseconds:)),
                    lastError: try row.decode(column: "last_error", as: String?.self),
                    response: try row.decode(column: "response", as: String?.self))
            }
        }
    }

    /// Puts a dead letter back in the queue for a new round of attempts.
    public func retry(_ id: Int64) async throws {
        let changed = try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE notifications SET state = 'pending', attempts = 0, next_attempt_at = \(bind: now().milliseconds),
                    claimed_until = NULL
                WHERE id = \(bind: id) AND state = 'failed' RETURNING id
                """
            ).all().count
        }
        guard changed == 1 else {
            let exists = try await list(state: nil, channel: nil, limit: 1_000_000).contains { $0.id == id }
            if !exists { throw CoreReconError.notFound(kind: "notification", id: String(id)) }
            throw CoreReconError.conflict("notification \(id) is not a dead letter; only failed ones are retried.")
        }
    }

    /// The configured channels with their last success and failure.
    public func channels() async throws -> [ChannelStatus] {
        let stats = try await database.read { sql in
            try await sql.raw(
                """
                SELECT channel,
                    SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
                    SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed,
                    MAX(delivered_at) AS last_success,
                    MAX(CASE WHEN last_error IS NOT NULL THEN last_attempt_at END) AS last_failure
                FROM notifications GROUP BY channel
                """
            ).all().map { row in
                (
                    try row.decode(column: "channel", as: String.self), try row.decode(column: "pending", as: Int.self),
                    try row.decode(column: "failed", as: Int.self),
                    try row.decode(column: "last_success", as: Int64?.self),
                    try row.decode(column: "last_failure", as: Int64?.self)
                )
            }
        }
        var result: [ChannelStatus] = []
        for (name, channel) in settings.channels.sorted(by: { $0.key < $1.key }) {
            let stat = stats.first { $0.0 == name }
            let lastError = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT last_error FROM notifications WHERE channel = \(bind: name) AND last_error IS NOT NULL
                    ORDER BY id DESC LIMIT 1
                    """
                ).first(decodingColumn: "last_error", as: String.self)
            }
            let target: String =
                switch channel.kind {
                case .webhook, .slack, .teams: channel.url.map(\.description) ?? "-"
                case .email: (channel.smtpURL ?? "-") + " → " + channel.to.joined(separator: ", ")
                case .syslog: channel.address ?? "-"
                }
            result.append(
                ChannelStatus(
                    name: name, type: channel.kind.rawValue, target: target, pending: stat?.1 ?? 0,
                    failed: stat?.2 ?? 0, lastSuccess: stat?.3.map(Date.init(milliseconds:)),
                    lastFailure: stat?.4.map(Date.init(milliseconds:)), lastError: lastError))
        }
        return result
    }
}
