import Foundation

/// What a notification says, independent of the channel: built from a stream event (its type and the alert or
/// incident it carries), rendered per channel when delivered.
public struct NotificationMessage: Sendable, Equatable {
    public var eventType: String
    /// `alert 42` or `IR-2026-0007`.
    public var reference: String
    public var subject: String
    public var text: String
    public var severity: String?
    /// Label and value pairs shown as a list or table.
    public var facts: [(String, String)]
    /// The event as JSON, for webhooks.
    public var event: JSONValue

    public static func == (lhs: NotificationMessage, rhs: NotificationMessage) -> Bool {
        lhs.subject == rhs.subject && lhs.text == rhs.text && lhs.event == rhs.event
    }

    public init(
        eventType: String, reference: String, subject: String, text: String, severity: String?,
        facts: [(String, String)], event: JSONValue
    ) {
        self.eventType = eventType
        self.reference = reference
        self.subject = subject
        self.text = text
        self.severity = severity
        self.facts = facts
        self.event = event
    }

    /// The message for a stored event's `message` JSON (`{"type":..., "alert"|"incident": {...}}`).
    public init(eventJSON: String) throws {
        let value = try JSONParser.parse(eventJSON)
        let members = value.members ?? []
        func member(_ object: [JSONMember], _ key: String) -> JSONValue? { object.first { $0.key == key }?.value }
        let type = member(members, "type")?.text ?? "event"
        let alert = member(members, "alert")?.members
        let incident = member(members, "incident")?.members
        let resource = alert ?? incident ?? []
        func field(_ key: String) -> String? {
            guard let value = member(resource, key) else { return nil }
            if case .number(let digits) = value { return digits }
            return value.text
        }
        let reference = alert != nil ? "alert \(field("id") ?? "?")" : field("id") ?? "?"
        let title = field("title") ?? "(untitled)"
        var facts: [(String, String)] = []
        if let severity = field("severity") { facts.append(("Severity", severity)) }
        if let status = field("status") ?? field("state") { facts.append(("Status", status)) }
        facts.append(("Assignee", field("assignee") ?? "unassigned"))
        if let source = field("source") { facts.append(("Source", source)) }
        if let techniques = member(resource, "techniques")?.arrayValue?.compactMap(\.text), !techniques.isEmpty {
            facts.append(("ATT&CK", techniques.joined(separator: ", ")))
        }
        var headline: String
        switch type {
        case "sla.breached", "sla.at_risk":
            let sla = member(resource, "sla")?.members ?? []
            let metric = member(sla, "metric")?.text ?? "SLA"
            let deadline = member(sla, "deadline")?.text ?? "?"
            let word = type == "sla.breached" ? "breached" : "at risk"
            headline = "SLA \(word): \(metric) of \(reference)"
            facts.insert(("Deadline", deadline), at: 0)
            if let policy = member(sla, "policy")?.text { facts.append(("Policy", policy)) }
        case "alert.created": headline = "New alert \(field("id") ?? "?")"
        case "alert.updated": headline = "Alert \(field("id") ?? "?") updated"
        case "alert.ioc_matched": headline = "Alert \(field("id") ?? "?") matched an indicator"
        case "incident.created": headline = "New incident \(reference)"
        case "incident.updated": headline = "Incident \(reference) is \(field("state") ?? "updated")"
        case "notify.test": headline = "CoreRecon test message"
        case "notify.summary": headline = field("title") ?? "Notifications held back"
        case "playbook.notify": headline = field("subject") ?? "Message from \(reference)"
        default: headline = "\(type): \(reference)"
        }
        self.init(
            eventType: type, reference: reference, subject: "[CoreRecon] \(headline): \(title)",
            text: headline + " — " + title, severity: field("severity"), facts: facts, event: value)
    }

    /// Plain text: the headline, then one fact per line.
    public var plainText: String {
        ([text, ""] + facts.map { "\($0.0): \($0.1)" }).joined(separator: "\n") + "\n"
    }
}

// MARK: - Rendering per channel

extension NotificationMessage {
    /// A Slack incoming-webhook message: Block Kit header, a section with the facts as fields, and `text` as the
    /// fallback shown in notifications.
    public var slackBody: JSONValue {
        func plain(_ text: String) -> JSONValue {
            .object([JSONMember("type", .string("plain_text")), JSONMember("text", .string(String(text.prefix(150))))])
        }
        func markdown(_ text: String) -> JSONValue {
            .object([JSONMember("type", .string("mrkdwn")), JSONMember("text", .string(String(text.prefix(2_000))))])
        }
        let fields = facts.prefix(10).map { markdown("*\(Self.slackEscape($0.0))*\n\(Self.slackEscape($0.1))") }
        return .object([
            JSONMember("text", .string(subject)),
            JSONMember(
                "blocks",
                .array([
                    .object([JSONMember("type", .string("header")), JSONMember("text", plain(text))]),
                    .object([
                        JSONMember("type", .string("section")),
                        JSONMember("text", markdown(Self.slackEscape(subject))),
                        JSONMember("fields", .array(Array(fields))),
                    ]),
                    .object([
                        JSONMember("type", .string("context")),
                        JSONMember("elements", .array([markdown("CoreRecon · \(eventType)")])),
                    ]),
                ])),
        ])
    }

    /// Slack's mrkdwn control characters.
    static func slackEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A Teams message with one Adaptive Card (1.4), as incoming webhooks and Workflows accept.
    public var teamsBody: JSONValue {
        let card: JSONValue = .object([
            JSONMember("$schema", .string("http://adaptivecards.io/schemas/adaptive-card.json")),
            JSONMember("type", .string("AdaptiveCard")),
            JSONMember("version", .string("1.4")),
            JSONMember(
                "body",
                .array([
                    .object([
                        JSONMember("type", .string("TextBlock")), JSONMember("size", .string("Medium")),
                        JSONMember("weight", .string("Bolder")), JSONMember("wrap", .bool(true)),
                        JSONMember("text", .string(text)),
                    ]),
                    .object([
                        JSONMember("type", .string("FactSet")),
                        JSONMember(
                            "facts",
                            .array(
                                facts.map {
                                    .object([JSONMember("title", .string($0.0)), JSONMember("value", .string($0.1))])
                                })),
                    ]),
                ])),
        ])
        return .object([
            JSONMember("type", .string("message")),
            JSONMember(
                "attachments",
                .array([
                    .object([
                        JSONMember("contentType", .string("application/vnd.microsoft.card.adaptive")),
                        JSONMember("contentUrl", .null),
                        JSONMember("content", card),
                    ])
                ])),
        ])
    }

    /// A generic webhook's body: the subject and the event as the stream carries it.
    public func webhookBody(deliveryID: String) -> JSONValue {
        .object([
            JSONMember("id", .string(deliveryID)),
            JSONMember("type", .string(eventType)),
            JSONMember("subject", .string(subject)),
            JSONMember("event", event),
        ])
    }

    /// A MIME message with text and HTML alternatives.
    public func email(from: String, to: [String], date: Date, messageID: String) -> String {
        let boundary = "corerecon-\(messageID.prefix(16))"
        func header(_ text: String) -> String {
            // RFC 2047 encoded-word for anything beyond ASCII; CR and LF never reach a header.
            let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            if clean.allSatisfy({ $0.isASCII }) { return clean }
            return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
        }
        func html(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let rows = facts.map { "<tr><th align=\"left\">\(html($0.0))</th><td>\(html($0.1))</td></tr>" }.joined()
        let htmlBody = "<html><body><h2>\(html(text))</h2><table>\(rows)</table></body></html>"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let lines = [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: \(header(subject))",
            "Date: \(formatter.string(from: date))", "Message-ID: <\(messageID)@corerecon>", "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
            Data(plainText.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn]),
            "--\(boundary)", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "",
            Data(htmlBody.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn]),
            "--\(boundary)--", "",
        ]
        return lines.joined(separator: "\r\n").replacingOccurrences(of: "\r\r\n", with: "\r\n")
    }

    /// An RFC 5424 syslog message: `<PRI>1 TIMESTAMP HOST corerecon - EVENT [corerecon@32473 ...] text`.
    public func syslog(facility: Int, hostname: String, date: Date) -> String {
        let severity: Int =
            switch severity {
            case "critical", "fatal": 2
            case "high": 3
            case "medium": 4
            case "low": 5
            default: 6
            }
        func parameter(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "]", with: "\\]")
        }
        let host = hostname.isEmpty ? "-" : String(hostname.filter { $0.isASCII && !$0.isWhitespace }.prefix(255))
        let messageID = String(eventType.filter { $0.isASCII && !$0.isWhitespace }.prefix(32))
        let data =
            "[corerecon@32473 type=\"\(parameter(eventType))\" ref=\"\(parameter(reference))\" severity=\"\(parameter(self.severity ?? "-"))\"]"
        let body = text.replacingOccurrences(of: "\n", with: " ")
        return
            "<\(facility * 8 + severity)>1 \(ISO8601Format.string(from: date)) \(host) corerecon - \(messageID) \(data) \u{FEFF}\(body)"
    }
}
