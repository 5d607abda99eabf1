import Foundation

/// The `notify:` section of the config file: channels, configured once and named, and the rules that route
/// events to them.
public struct NotifySettings: Sendable, Equatable {
    public var channels: [String: NotifyChannel] = [:]
    public var rules: [NotifyRule] = []
    /// Deliveries tried before a notification becomes a dead letter.
    public var maxAttempts = 8
    /// The first retry's delay; each later one doubles it, up to an hour.
    public var retryDelay: Duration = .seconds(10)

    public init() {}

    /// The delay before attempt `attempt + 1` after `attempt` failures.
    public func backoff(afterAttempts attempts: Int) -> Double {
        min(3_600, retryDelay.seconds * pow(2, Double(max(0, attempts - 1))))
    }
}

/// Where a secret comes from: never the config file's own text for anything that can be set otherwise.
public enum SecretSource: Sendable, Equatable {
    case literal(String)
    case environment(String)
    case file(String)

    /// The secret's value now (read at each use, so rotating a file or variable needs no restart).
    public func resolve(_ environment: [String: String]) throws(CoreReconError) -> String {
        switch self {
        case .literal(let value): return value
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw .configuration("the environment variable \(name) is not set.")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw .configuration("cannot read the secret file \(path).") }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// How it is named in listings: never the value.
    public var description: String {
        switch self {
        case .literal: "(in the config file)"
        case .environment(let name): "$\(name)"
        case .file(let path): path
        }
    }
}

/// One notification channel.
public struct NotifyChannel: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A JSON POST signed with HMAC-SHA256.
        case webhook
        /// A Slack incoming webhook, Block Kit message.
        case slack
        /// A Microsoft Teams incoming webhook or Workflows URL, Adaptive Card message.
        case teams
        /// SMTP mail with text and HTML parts.
        case email
        /// RFC 5424 syslog over UDP, TCP or TLS.
        case syslog
    }

    public var name: String
    public var kind: Kind
    /// webhook, slack, teams: where to POST.
    public var url: SecretSource?
    /// webhook: the HMAC key.
    public var secret: SecretSource?
    /// email: `smtp://host:587` (STARTTLS when offered, required with `starttls: true`) or `smtps://host:465`.
    public var smtpURL: String?
    public var starttls = true
    public var username: String?
    public var password: SecretSource?
    public var from: String?
    public var to: [String] = []
    /// email and syslog over TLS: a CA bundle for a private server (default: the system's trust store).
    public var caFile: String?
    /// syslog: `udp://host:514`, `tcp://host:601` or `tls://host:6514`.
    public var address: String?
    public var facility = 10  // security/authorization (authpriv)
    /// How long one delivery may take.
    public var timeout: Duration = .seconds(10)

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// A rule: events of these types (and conditions) go to these channels, at most one message per key per
/// throttle interval (the rest counted and summarised).
public struct NotifyRule: Sendable, Equatable {
    public var name: String
    /// `sla.breached`, `sla.at_risk`, `alert.created`, `alert.updated`, `incident.created`, `incident.updated`.
    public var events: [String]
    public var minimumSeverity: Severity?
    public var sources: [String] = []
    /// ATT&CK tactic ids or names (`TA0006`, `credential-access`).
    public var tactics: [String] = []
    /// Incident updates only when the state changed.
    public var channels: [String]
    public var throttle: Duration?
    /// The throttle key: `rule` (all events of the rule), `source`, `severity`, `assignee` or `target` (per
    /// alert or incident).
    public var throttleKey = "rule"

    public init(name: String, events: [String], channels: [String]) {
        self.name = name
        self.events = events
        self.channels = channels
    }

    public static let eventTypes = [
        "sla.breached", "sla.at_risk", "alert.created", "alert.updated", "alert.ioc_matched", "incident.created",
        "incident.updated",
    ]
    public static let throttleKeys = ["rule", "source", "severity", "assignee", "target"]
}

extension NotifySettings {
    static func parse(_ section: ConfigSection) throws(CoreReconError) -> NotifySettings {
        try section.requireKeys(in: ["channels", "rules", "maxAttempts", "retryDelay"])
        var settings = NotifySettings()
        if let text = try section.string("maxAttempts") {
            guard let value = Int(text), (1...100).contains(value) else {
                throw section.error(key: "maxAttempts", "must be a whole number from 1 to 100.")
            }
            settings.maxAttempts = value
        }
        if let delay = try section.duration("retryDelay") { settings.retryDelay = max(delay, .seconds(1)) }
        for (name, entry) in try section.child("channels")?.entries() ?? [] {
            settings.channels[name] = try parseChannel(name: name, entry)
        }
        for (index, entry) in try (section.child("rules")?.items() ?? []).enumerated() {
            try entry.requireKeys(in: [
                "name", "on", "minSeverity", "source", "tactic", "channels", "throttle", "throttleKey",
            ])
            let events = try entry.strings("on")
            guard !events.isEmpty else { throw entry.error("a rule needs `on:`, the events it routes.") }
            for event in events where !NotifyRule.eventTypes.contains(event) {
                throw entry.error(
                    key: "on",
                    "'\(event)' is not an event type: " + NotifyRule.eventTypes.joined(separator: ", ") + ".")
            }
            let channels = try entry.strings("channels")
            guard !channels.isEmpty else { throw entry.error("a rule needs `channels:`.") }
            for channel in channels where settings.channels[channel] == nil {
                throw entry.error(key: "channels", "no channel named '\(channel)' under notify.channels.")
            }
            var rule = NotifyRule(
                name: try entry.string("name") ?? "rule-\(index + 1)", events: events, channels: channels)
            if let name = try entry.string("minSeverity") {
                guard let severity = Severity(name: name) else {
                    throw entry.error(key: "minSeverity", "'\(name)' is not a severity.")
                }
                rule.minimumSeverity = severity
            }
            rule.sources = try entry.strings("source")
            rule.tactics = try entry.strings("tactic").map { $0.lowercased() }
            // A misspelt tactic would match nothing, silently: names must be ATT&CK's (ids of other matrices,
            // TA followed by four digits, pass as they are).
            for tactic in rule.tactics where ATTACKCatalog.embedded.tactic(tactic) == nil {
                guard tactic.wholeMatch(of: /ta[0-9]{4}/) != nil else {
                    throw entry.error(
                        key: "tactic",
                        "'\(tactic)' is not an ATT&CK tactic: give its id (TA0006) or name (credential-access).")
                }
            }
            rule.throttle = try entry.duration("throttle")
            if let key = try entry.string("throttleKey") {
                guard NotifyRule.throttleKeys.contains(key) else {
                    throw entry.error(
                        key: "throttleKey",
                        "'\(key)' is not a throttle key: " + NotifyRule.throttleKeys.joined(separator: ", ") + ".")
                }
                rule.throttleKey = key
            }
            settings.rules.append(rule)
        }
        return settings
    }

    private static func secret(_ entry: ConfigSection, _ base: String) throws(CoreReconError) -> SecretSource? {
        if let name = try entry.string(base + "Env") { return .environment(name) }
        if let path = try entry.string(base + "File") {
            let directory = (entry.file as NSString).deletingLastPathComponent
            return .file(path.hasPrefix("/") ? path : directory + "/" + path)
        }
        if let value = try entry.string(base) { return .literal(value) }
        return nil
    }

    private static func parseChannel(name: String, _ entry: ConfigSection) throws(CoreReconError) -> NotifyChannel {
        let kindName = try entry.string("type") ?? ""
        guard let kind = NotifyChannel.Kind(rawValue: kindName) else {
            throw entry.error(
                "`type:` must be one of " + NotifyChannel.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        var channel = NotifyChannel(name: name, kind: kind)
        if let timeout = try entry.duration("timeout") { channel.timeout = max(timeout, .seconds(1)) }
        switch kind {
        case .webhook, .slack, .teams:
            var known: Set<String> = ["type", "url", "urlEnv", "urlFile", "timeout"]
            if kind == .webhook { known.formUnion(["secret", "secretEnv", "secretFile"]) }
            try entry.requireKeys(in: known)
            guard let url = try secret(entry, "url") else {
                throw entry.error("a \(kind.rawValue) channel needs url, urlEnv or urlFile.")
            }
            if case .literal(let text) = url, !text.isHTTPURL {
                throw entry.error(key: "url", "'\(text)' is not an http:// or https:// URL with a host.")
            }
            channel.url = url
            if kind == .webhook { channel.secret = try secret(entry, "secret") }
        case .email:
            try entry.requireKeys(in: [
                "type", "smtp", "starttls", "username", "password", "passwordEnv", "passwordFile", "from", "to",
                "caFile", "timeout",
            ])
            guard let smtp = try entry.string("smtp"), smtp.hasPrefix("smtp://") || smtp.hasPrefix("smtps://") else {
                throw entry.error("an email channel needs smtp: smtp://host:587 or smtps://host:465.")
            }
            channel.smtpURL = smtp
            channel.starttls = try entry.bool("starttls") ?? true
            channel.username = try entry.string("username")
            channel.password = try secret(entry, "password")
            guard let from = try entry.string("from"), from.contains("@") else {
                throw entry.error("an email channel needs from: an address.")
            }
            channel.from = from
            channel.to = try entry.strings("to")
            guard !channel.to.isEmpty, channel.to.allSatisfy({ $0.contains("@") }) else {
                throw entry.error("an email channel needs to: one address or a list.")
            }
            channel.caFile = try entry.string("caFile")
        case .syslog:
            try entry.requireKeys(in: ["type", "address", "facility", "caFile", "timeout"])
            guard let address = try entry.string("address"),
                ["udp://", "tcp://", "tls://"].contains(where: { address.hasPrefix($0) })
            else {
                throw entry.error("a syslog channel needs address: udp://host:514, tcp://host:601 or tls://host:6514.")
            }
            channel.address = address
            channel.caFile = try entry.string("caFile")
            if let text = try entry.string("facility") {
                guard let value = Int(text), (0...23).contains(value) else {
                    throw entry.error(key: "facility", "must be a syslog facility number from 0 to 23.")
                }
                channel.facility = value
            }
        }
        return channel
    }
}
