import Crypto
import Foundation

/// An alert ready to store: the OCSF record, its indexed fields, its delivery key and fingerprint.
public struct NormalizedAlert: Sendable {
    public var mapped: MappedAlert
    /// The feed label (`--source`), or the format name.
    public var source: String
    /// Identifies this exact source record: `<format>:<source id>`, or `sha256:<hash of the raw record>`.
    public var deliveryKey: String
    /// Identifies "the same alert again" for dedup.
    public var fingerprint: String
    /// The fields and values the fingerprint was computed from, for `alert explain`.
    public var fingerprintBasis: [FingerprintPart]
    /// The OCSF Detection Finding, serialized.
    public var ocsf: String
    /// When the source detected it (falls back to when CoreRecon received it).
    public var eventTime: Date
    /// `ocsf` as the database will store it (a zstd frame), when ``AlertRepository/prepare(_:at:)`` made it ahead;
    /// nil until then. Once it is set, `ocsf` may be empty: the frame is what is stored.
    public var storedDocument: Data?
}

/// One field of a fingerprint and its value in an alert.
public struct FingerprintPart: Sendable, Equatable, Codable {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }
}

/// How alerts are deduplicated and correlated; from the `ingest.*` and `alerts.*` configuration.
public struct IngestSettings: Sendable, Equatable {
    /// Fingerprint fields per format; formats not listed use `defaultFingerprint`.
    public var fingerprints: [AlertFormat: [String]] = [:]
    public var defaultFingerprint: [String] = IngestSettings.standardFingerprint
    /// A new record merges into an open alert with its fingerprint seen within this window.
    public var dedupWindow: Duration = .seconds(24 * 3_600)
    /// Alerts sharing an observable within this window are related.
    public var correlationWindow: Duration = .seconds(3_600)
    /// Records committed per transaction.
    public var batchSize = 1_000
    /// What one record may be: larger, deeper or fuller ones are rejected with the reason, never buffered or
    /// parsed without bound.
    public var limits = InputLimits()

    public static let standardFingerprint = ["product", "rule", "host", "user", "src_ip", "dst_ip"]
    /// Fields a fingerprint may use; `raw.<path>` picks any field of the source record.
    public static let fingerprintFields = [
        "product", "rule", "title", "source", "host", "user", "src_ip", "dst_ip",
        "severity",
    ]

    public init() {}

    public func fingerprintFields(for format: AlertFormat) -> [String] {
        fingerprints[format] ?? defaultFingerprint
    }
}

/// Bounds on one ingested record, each a configuration key (`ingest.maxRecordSize`, `ingest.maxDepth`,
/// `ingest.maxStringLength`, `ingest.maxFields`), with defaults a SIEM can live with.
public struct InputLimits: Sendable, Equatable {
    /// Bytes of one record as received.
    public var recordSize = 1 << 20
    /// Nesting depth, string length and number of values of its JSON.
    public var json = JSONParser.Limits(depth: 64, stringLength: 512 << 10, values: 100_000)

    public init() {}

    /// The configuration key that sets `limit`, for messages.
    public static func key(for limit: JSONParser.Limit) -> String {
        switch limit {
        case .depth: "ingest.maxDepth"
        case .stringLength: "ingest.maxStringLength"
        case .values: "ingest.maxFields"
        }
    }
}

/// Turns raw records into ``NormalizedAlert``s: parse, detect the format, map, build OCSF, key and fingerprint.
public struct AlertNormalizer: Sendable {
    public let settings: IngestSettings
    /// nil: detect per record.
    public let format: AlertFormat?
    public let sourceLabel: String?

    public init(settings: IngestSettings, format: AlertFormat?, sourceLabel: String?) {
        self.settings = settings
        self.format = format
        self.sourceLabel = sourceLabel
    }

    /// Parses one record's bytes within `limits`; a wrapper of several alerts (`{"records":[...]}`) yields each.
    public static func parse(_ bytes: [UInt8], limits: JSONParser.Limits = InputLimits().json) throws(MappingError)
        -> [JSONValue]
    {
        // CEF and LEEF lines, bare or behind a syslog header.
        var json = bytes[...]
        if EventLines.isTextLine(bytes) {
            if let event = try EventLines.parse(String(decoding: bytes, as: UTF8.self)) { return [event] }
            // JSON behind a syslog header, as rsyslog and syslog-ng forward it.
            guard let body = EventLines.jsonAfterSyslogHeader(bytes) else {
                throw MappingError(
                    "not an alert: neither JSON nor a CEF or LEEF line (with or without a syslog header)")
            }
            json = body
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(json), limits: limits)
        } catch {
            if let limit = error.limit {
                throw MappingError("over a limit: \(error) (raise \(InputLimits.key(for: limit)) to accept it)")
            }
            throw MappingError("invalid JSON: \(error)")
        }
        return unwrap(value)
    }

    /// The alerts of an envelope that carries several, each a record of its own; any other value as it is.
    /// - `{"records": [...]}`: Azure Event Hub and diagnostic exports.
    /// - `{"Findings": [...]}`: a page of AWS `GetFindings` output (Security Hub, GuardDuty) or a
    ///   `BatchImportFindings` request.
    /// - An EventBridge event of `aws.securityhub` (`Security Hub Findings - Imported` and the like) with its
    ///   findings in `detail.findings`.
    /// - Cortex XDR API replies: `{"reply": {"alerts": [...]}}`, `{"reply": {"incidents": [...]}}`, and the extra
    ///   data of incidents (their alerts).
    /// - Google SecOps detection pages and stream batches (`{"detections": [...]}`); a stream heartbeat holds none.
    /// - Sophos Central pages: `{"items": [...], "pages": {...}}` and `{"items": [...], "has_more": ...}`.
    static func unwrap(_ value: JSONValue) -> [JSONValue] {
        guard let members = value.members else { return [value] }
        func objects(_ value: JSONValue?) -> [JSONValue]? {
            guard let elements = value?.arrayValue, !elements.isEmpty, elements.allSatisfy({ $0.members != nil })
            else { return nil }
            return elements
        }
        if members.count == 1, members[0].key == "records" || members[0].key == "Findings",
            let records = objects(members[0].value)
        {
            return records
        }
        if value[key: "source"]?.text == "aws.securityhub",
            let findings = objects(value[key: "detail"]?[key: "findings"])
        {
            return findings
        }
        // Cortex XDR replies: alerts, incidents, and incidents with their alerts (extra data).
        if let reply = value[key: "reply"], reply.members != nil {
            if let alerts = objects(reply[key: "alerts"]) { return alerts }
            if let alerts = objects(reply[key: "alerts"]?[key: "data"]) { return alerts }
            if let incidents = objects(reply[key: "incidents"]) {
                return incidents.flatMap { incident -> [JSONValue] in
                    guard let inner = incident[key: "incident"], inner.members != nil else { return [incident] }
                    return objects(incident[key: "alerts"]?[key: "data"]) ?? [inner]
                }
            }
            if let incident = reply[key: "incident"], incident.members != nil { return [incident] }
        }
        // Google SecOps: a page of detections, or a batch of the detection stream (heartbeats carry none).
        for key in ["detections", "curatedRuleDetections"] {
            if let detections = objects(value[key: key]),
                detections.allSatisfy({ $0[key: "detection"]?.arrayValue != nil })
            {
                return detections
            }
        }
        if value[key: "heartbeat"]?.bool == true, members.count == 1 { return [] }
        // Sophos Central: a page of the Common API (`pages`) or of the SIEM API (`has_more`).
        if value[key: "pages"] != nil || value[key: "has_more"] != nil, let items = objects(value[key: "items"]) {
            return items
        }
        return [value]
    }

    /// Maps one parsed record. `raw` is the record's text as received, kept verbatim in `raw_data`.
    public func normalize(_ record: JSONValue, raw: String, receivedAt: Date) throws(MappingError) -> NormalizedAlert {
        guard record.members != nil else {
            throw MappingError("the record is a JSON \(record.kindName), not an object")
        }
        let format: AlertFormat
        if let chosen = self.format {
            format = chosen
        } else if let detected = AlertFormat.detect(record) {
            format = detected
        } else {
            throw MappingError(
                "cannot tell which format this record is (no title, name or message field). "
                    + "Use --input-format to name it."
            )
        }
        let reader = FieldReader(record)
        var mapped = try format.mapper.map(reader)
        // A mapper that unwraps an envelope (base64 Pub/Sub data) computes its own leftovers.
        if mapped.unmapped == nil { mapped.unmapped = reader.unmappedFields }

        let deliveryKey = mapped.sourceID.map { "\(format.rawValue):\($0)" } ?? "sha256:\(Self.hash(raw))"
        let source = sourceLabel ?? format.rawValue
        let basis = fingerprintBasis(
            mapped, source: source, record: record,
            fields: settings.fingerprintFields(for: format))
        let fingerprint = Self.hash(basis.map { "\($0.field)=\($0.value)" }.joined(separator: "\n"), length: 32)
        let uid = "crf-" + Self.hash(deliveryKey, length: 32)
        let ocsf = DetectionFinding.build(mapped, uid: uid, raw: raw, receivedAt: receivedAt).jsonString
        // The OCSF text now holds them; dropping the trees keeps a batch waiting to be written small.
        mapped.unmapped = nil
        mapped.attributes = []
        return NormalizedAlert(
            mapped: mapped,
            source: source,
            deliveryKey: deliveryKey,
            fingerprint: fingerprint,
            fingerprintBasis: basis,
            ocsf: ocsf,
            eventTime: mapped.time ?? receivedAt
        )
    }

    func fingerprintBasis(_ alert: MappedAlert, source: String, record: JSONValue, fields: [String])
        -> [FingerprintPart]
    {
        fields.map { field in
            let value: String? =
                switch field {
                case "product": alert.product
                case "rule": alert.ruleUID ?? alert.title
                case "title": alert.title
                case "source": source
                case "host": alert.entities.host?.lowercased()
                case "user": alert.entities.user?.lowercased()
                case "src_ip": alert.entities.sourceIP
                case "dst_ip": alert.entities.destinationIP
                case "severity": alert.severity.name
                default: field.hasPrefix("raw.") ? record.firstText(String(field.dropFirst(4))) : nil
                }
            return FingerprintPart(field: field, value: value ?? "")
        }
    }

    /// Hex SHA-256, truncated to `length` characters.
    static func hash(_ text: String, length: Int = 64) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex.prefix(length), as: UTF8.self)
    }
}

extension JSONValue {
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
