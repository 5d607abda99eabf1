import Foundation

/// The `syslog:` section of the config file: where `serve` receives syslog (CEF, LEEF and JSON behind a syslog
/// header), how senders are labelled, and the bounds that keep a flood from taking the server's memory.
///
/// ```yaml
/// syslog:
///   listen: [udp://0.0.0.0:514, tcp://0.0.0.0:601, tls://0.0.0.0:6514]
///   source: syslog              # the label of senders no rule below names
///   senders:
///     - from: [10.20.0.0/16, 192.0.2.7]
///       source: edge-firewalls
///       format: cef             # optional: skip detection
///   queue: 32MB                 # messages held between the sockets and the database
///   maxMessageSize: 64KB
///   maxConnections: 1000
/// ```
public struct SyslogSettings: Sendable, Equatable {
    /// The listeners; none (the default) turns syslog off.
    public var listen: [SyslogEndpoint] = []
    /// The label of senders no rule names.
    public var defaultSource = "syslog"
    /// Per-sender labels and formats, first match wins.
    public var senders: [SyslogSender] = []
    /// Bytes of messages held between the sockets and the database. Over it, TCP and TLS senders wait (the server
    /// stops reading their connections) and UDP messages are dropped and counted.
    public var queueBytes = 32 * 1_024 * 1_024
    /// The largest message: longer ones are dropped and counted (RFC 5425 asks for at least 2,048 bytes, and
    /// should take 8,192).
    public var maxMessageSize = 64 * 1_024
    /// Open TCP and TLS connections at most; more are closed at once and counted.
    public var maxConnections = 1_000

    public init() {}

    /// The label and format of a message from `address` (its bytes, 4 or 16).
    public func sender(address: [UInt8]?) -> (source: String, format: AlertFormat?) {
        if let address, let rule = senders.first(where: { $0.networks.contains { $0.contains(address) } }) {
            return (rule.source, rule.format)
        }
        return (defaultSource, nil)
    }

    /// `--syslog` and `syslog.listen`: comma-separated `udp://HOST:PORT`, `tcp://HOST:PORT` or `tls://HOST:PORT`.
    public static func parseEndpoints(_ text: String) throws(CoreReconError) -> [SyslogEndpoint] {
        var endpoints: [SyslogEndpoint] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { continue }
            endpoints.append(try SyslogEndpoint(parsing: item))
        }
        guard !endpoints.isEmpty else {
            throw .configuration(
                "no syslog listener in '\(text)'; give udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT.")
        }
        return endpoints
    }

    static func parse(_ section: ConfigSection) throws(CoreReconError) -> SyslogSettings {
        try section.requireKeys(in: ["listen", "source", "senders", "queue", "maxMessageSize", "maxConnections"])
        var settings = SyslogSettings()
        let listen = try section.strings("listen")
        if !listen.isEmpty {
            do {
                settings.listen = try parseEndpoints(listen.joined(separator: ","))
            } catch {
                throw section.error(key: "listen", "\(error)")
            }
        }
        if let source = try section.string("source") {
            guard SyslogSender.isLabel(source) else { throw section.error(key: "source", SyslogSender.labelRule) }
            settings.defaultSource = source
        }
        for entry in try section.child("senders")?.items() ?? [] {
            try entry.requireKeys(in: ["from", "source", "format"])
            var networks: [Network] = []
            for text in try entry.strings("from") {
                guard let network = Network.parse(text) ?? Network.bytes(text).map({ Network.host($0) }) else {
                    throw entry.error(
                        key: "from", "'\(text)' is not an IP address or a CIDR network such as 10.0.0.0/8.")
                }
                networks.append(network)
            }
            guard !networks.isEmpty else { throw entry.error("needs `from`: the addresses it labels.") }
            guard let source = try entry.string("source") else { throw entry.error("needs `source`: the label.") }
            guard SyslogSender.isLabel(source) else { throw entry.error(key: "source", SyslogSender.labelRule) }
            var format: AlertFormat?
            if let name = try entry.string("format"), name != "auto" {
                guard let known = AlertFormat(rawValue: name) else {
                    throw entry.error(
                        key: "format",
                        "'\(name)' is not a format; use auto or one of "
                            + AlertFormat.allCases.map(\.rawValue).joined(separator: ", ") + ".")
                }
                format = known
            }
            settings.senders.append(SyslogSender(networks: networks, source: source, format: format))
        }
        if let text = try section.string("queue") {
            guard let size = AppConfig.parseSize(text), size >= 1_048_576 else {
                throw section.error(key: "queue", "'\(text)' is not a size of 1MB or more, such as 32MB.")
            }
            settings.queueBytes = size
        }
        if let text = try section.string("maxMessageSize") {
            guard let size = AppConfig.parseSize(text), (2_048...1_048_576).contains(size) else {
                throw section.error(key: "maxMessageSize", "'\(text)' is not a size from 2KB to 1MB, such as 64KB.")
            }
            settings.maxMessageSize = size
        }
        if let text = try section.string("maxConnections") {
            guard let count = Int(text), (1...100_000).contains(count) else {
                throw section.error(key: "maxConnections", "'\(text)' is not a whole number from 1 to 100000.")
            }
            settings.maxConnections = count
        }
        guard settings.queueBytes >= settings.maxMessageSize else {
            throw section.error(key: "queue", "must hold at least one message of maxMessageSize.")
        }
        return settings
    }
}

/// One syslog listener.
public struct SyslogEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, CaseIterable {
        /// RFC 5426: one message per datagram.
        case udp
        /// RFC 6587: octet-counted or newline-framed messages.
        case tcp
        /// RFC 5425: TCP in TLS, octet-counted (newline framing accepted too).
        case tls
    }

    public var transport: Transport
    public var host: String
    public var port: Int

    public init(transport: Transport, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    /// `udp://0.0.0.0:514`; `[::]` for IPv6 hosts.
    public init(parsing text: String) throws(CoreReconError) {
        let usage = "give udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT, such as udp://0.0.0.0:514"
        guard let schemeEnd = text.range(of: "://"),
            let transport = Transport(rawValue: text[..<schemeEnd.lowerBound].lowercased())
        else {
            throw .configuration("'\(text)' is not a syslog listener; \(usage).")
        }
        let rest = text[schemeEnd.upperBound...]
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            throw .configuration("'\(text)' has no port from 0 to 65535; \(usage).")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("/") else {
            throw .configuration("'\(text)' has no host; \(usage).")
        }
        self.init(transport: transport, host: host, port: port)
    }

    public var description: String {
        "\(transport.rawValue)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}

/// A rule naming the senders in some networks.
public struct SyslogSender: Sendable, Equatable {
    public var networks: [Network]
    public var source: String
    public var format: AlertFormat?

    public init(networks: [Network], source: String, format: AlertFormat? = nil) {
        self.networks = networks
        self.source = source
        self.format = format
    }

    static let labelRule = "a label is 1 to 64 letters, digits, '.', '_' or '-'."

    static func isLabel(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                switch $0 {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }
}

extension Network {
    /// The network of one address.
    static func host(_ bytes: [UInt8]) -> Network { Network(bytes: bytes, prefix: bytes.count * 8) }
}
