import Foundation

/// Elastic Security detection alerts: Kibana 8.x `.alerts-security.alerts-*` documents, ECS fields plus
/// `kibana.alert.*` (https://www.elastic.co/guide/en/security/current/alert-schema.html), and 7.x
/// `.siem-signals-*` documents with `signal.*`. Read bare (nested or flattened dotted keys), as an Elasticsearch
/// search hit (`_source`, or `fields` when the search asked for fields) or as an es_archiver `doc` record.
///
/// Severity: `kibana.alert.severity` (low, medium, high, critical) as its word says; without it the 0–100
/// `kibana.alert.risk_score` in Elastic's default bands: 0–21 Low, 22–47 Medium, 48–73 High, 74–100 Critical
/// (``SeverityScale/fromHundred(_:)``). The rule's own `severity` / `risk_score` (7.x `signal.rule.*`) come next.
public enum ElasticMapper: AlertMapper {
    static let envelopes: [DocumentEnvelope] = [.bare, .searchHit, .searchHitFields, .archive]

    public static func recognizes(_ record: JSONValue) -> Bool {
        envelope(of: record) != nil
    }

    /// The first envelope whose document carries a detection rule.
    static func envelope(of record: JSONValue) -> DocumentEnvelope? {
        envelopes.first { envelope in
            guard let document = envelope.document(in: record) else { return false }
            return document.containsPath("kibana.alert.rule") || document.containsPath("signal.rule")
        }
    }

    public static func map(_ reader: FieldReader) throws(MappingError) -> MappedAlert {
        let record = EnvelopedDocument(reader, envelope(of: reader.record) ?? .bare)
        guard let title = record.text("kibana.alert.rule.name", "signal.rule.name") else {
            throw MappingError(
                field: "kibana.alert.rule.name",
                "missing; an Elastic Security alert names the rule that fired (7.x: signal.rule.name)"
            )
        }
        let (severity, sourceSeverity) = severity(of: record)
        var alert = MappedAlert(
            format: .elastic, product: "Elastic Security", vendor: "Elastic", title: title,
            severity: severity)
        alert.sourceSeverity = sourceSeverity
        alert.productVersion = record.text("kibana.version")
        alert.time = record.time("@timestamp", "kibana.alert.original_time", "signal.original_time")
        // A 7.x signal has no id of its own in the document; the hit's _id is the only one.
        alert.sourceID = record.text("kibana.alert.uuid") ?? record.envelopeID()
        alert.ruleUID = record.text(
            "kibana.alert.rule.uuid", "kibana.alert.rule.rule_id",
            "kibana.alert.rule.parameters.rule_id", "signal.rule.id", "signal.rule.rule_id")
        alert.ruleName = title
        alert.description = record.text(
            "kibana.alert.reason", "signal.reason", "kibana.alert.rule.description",
            "kibana.alert.rule.parameters.description", "signal.rule.description")
        if let type = record.text("kibana.alert.rule.category", "kibana.alert.rule.type", "signal.rule.type") {
            alert.types = [type]
        }

        let host = record.text("host.name", "host.hostname")
        let hostIP = NetworkAddress.preferred(record.texts("host.ip"))
        let user = record.text("user.name")
        let sourceIP = record.text("source.ip")
        let destinationIP = record.text("destination.ip")
        alert.entities = Entities(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.hostname, host, name: "device.hostname")
        alert.observe(.ip, hostIP, name: "device.ip")
        alert.observe(.user, user, name: "actor.user.name")
        alert.observe(.ip, sourceIP, name: "src_endpoint.ip")
        alert.observe(.ip, destinationIP, name: "dst_endpoint.ip")

        let processPath = record.text("process.executable")
        let processName = record.text("process.name") ?? processPath.map(\.pathFileName)
        let commandLine = record.text("process.command_line")
        alert.observe(.process, processName, name: "process.name")
        alert.observe(.path, processPath, name: "process.file.path")
        alert.observe(.commandLine, commandLine, name: "process.cmd_line")
        for algorithm in ["sha256", "sha1", "md5"] {
            alert.observe(.hash, record.text("process.hash.\(algorithm)"), name: "process.file.hashes.value")
        }
        let fileName = record.text("file.name")
        let filePath = record.text("file.path")
        let md5 = record.text("file.hash.md5"), sha1 = record.text("file.hash.sha1")
        let sha256 = record.text("file.hash.sha256")
        alert.observe(.file, fileName, name: "file.name")
        alert.observe(.path, filePath, name: "file.path")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "file.hashes.value") }
        let url = record.text("url.full", "url.original")
        alert.observe(.url, url, name: "url.url_string")
        let query = record.text("dns.question.name")
        alert.observe(.domain, query, name: "query.hostname")
        for address in record.texts("email.from.address") { alert.observe(.email, address, name: "email.from") }
        for address in record.texts("email.to.address") { alert.observe(.email, address, name: "email.to") }

        for path in ["kibana.alert.rule.threat", "signal.rule.threat"] {
            let entries = record.values(path)
            if entries.isEmpty {
                attacks(inListsUnder: path, of: record, into: &alert)
            } else {
                attacks(in: entries, into: &alert)
            }
        }
        // Some integrations put ATT&CK on the source event itself, as ECS threat.* keyword lists.
        attacks(inListsUnder: "threat", of: record, into: &alert)

        let source = OCSFObjects.endpoint(
            ip: sourceIP, port: record.int("source.port"),
            hostname: record.text("source.domain"))
        let destination = OCSFObjects.endpoint(
            ip: destinationIP, port: record.int("destination.port"),
            hostname: record.text("destination.domain"))
        let connection = JSONValue.compactObject([
            ("protocol_name", record.text("network.transport").map { .string($0.lowercased()) })
        ])
        let process = OCSFObjects.process(
            name: processName, pid: record.int("process.pid"),
            commandLine: commandLine, path: processPath, user: user)
        let file = OCSFObjects.file(name: fileName, path: filePath, md5: md5, sha1: sha1, sha256: sha256)
        let userObject = OCSFObjects.user(name: user, uid: record.text("user.id"), domain: record.text("user.domain"))
        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: hostIP, uid: record.text("host.id"),
                os: record.text("host.os.name")))
        alert.set("cloud", cloud(of: record))
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", source), ("dst_endpoint", destination), ("connection_info", connection),
            ("process", process), ("file", file), ("user", userObject),
            ("url", url.map { .object([JSONMember("url_string", .string($0))]) }),
            ("query", query.map { .object([JSONMember("hostname", .string($0))]) }),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }

    /// The alert's own values first: a rule's severity and risk-score overrides are written there, and the
    /// rule's values are only its defaults.
    static func severity(of record: EnvelopedDocument) -> (Severity, String?) {
        let fields = [
            ("kibana.alert.severity", "kibana.alert.risk_score"),
            ("kibana.alert.rule.severity", "kibana.alert.rule.risk_score"),
            ("kibana.alert.rule.parameters.severity", "kibana.alert.rule.parameters.risk_score"),
            ("signal.rule.severity", "signal.rule.risk_score"),
        ]
        for (wordField, scoreField) in fields {
            if let word = record.peek(wordField), let severity = SeverityScale.fromWord(word) {
                record.consume(wordField)
                return (severity, word)
            }
            if let score = record.peek(scoreField), let number = Double(score), number.isFinite {
                record.consume(scoreField)
                return (SeverityScale.fromHundred(number), "risk_score \(score)")
            }
        }
        return (.unknown, nil)
    }

    /// Rule threat entries as Kibana stores them: `{framework, tactic{id,name}, technique[{id, name,
    /// subtechnique[{id, name}]}]}`. A sub-technique stands for its technique, whose id it contains.
    static func attacks(in entries: [JSONValue], into alert: inout MappedAlert) {
        for entry in entries where entry.members != nil {
            // Custom frameworks are allowed; their ids are not ATT&CK ids.
            if let framework = entry["framework"]?.nonEmptyText, !framework.lowercased().contains("mitre") {
                continue
            }
            let tactic = entry["tactic.id"]?.nonEmptyText
            let tacticName = entry["tactic.name"]?.nonEmptyText
            let techniques = entry.values(at: "technique")
            if techniques.isEmpty {
                alert.attack(technique: nil, tactic: tactic, tacticName: tacticName)
            }
            for technique in techniques {
                let subtechniques = technique.values(at: "subtechnique").filter { $0["id"]?.nonEmptyText != nil }
                if subtechniques.isEmpty {
                    alert.attack(
                        technique: technique["id"]?.nonEmptyText, name: technique["name"]?.nonEmptyText,
                        tactic: tactic, tacticName: tacticName)
                }
                for subtechnique in subtechniques {
                    alert.attack(
                        technique: subtechnique["id"]?.nonEmptyText,
                        name: subtechnique["name"]?.nonEmptyText, tactic: tactic, tacticName: tacticName)
                }
            }
        }
    }

    /// ATT&CK as ECS keyword lists (`<base>.tactic.id`, `<base>.technique.id`,
    /// `<base>.technique.subtechnique.id`, with their names), as ECS `threat.*` and flattened `fields` output have
    /// it. The lists do not say which tactic goes with which technique; see ``Swift/Array/paired(with:)``.
    static func attacks(inListsUnder base: String, of record: EnvelopedDocument, into alert: inout MappedAlert) {
        let tacticIDs = record.texts("\(base).tactic.id")
        let tacticNames = record.texts("\(base).tactic.name")
        let tactics = (0..<max(tacticIDs.count, tacticNames.count)).map {
            (id: tacticIDs[safe: $0], name: tacticNames[safe: $0])
        }
        let techniqueNames = record.texts("\(base).technique.name")
        let techniques = record.texts("\(base).technique.id").enumerated().map {
            (id: $1, name: techniqueNames[safe: $0])
        }
        let subtechniqueNames = record.texts("\(base).technique.subtechnique.name")
        let subtechniques = record.texts("\(base).technique.subtechnique.id").enumerated().map {
            (id: $1, name: subtechniqueNames[safe: $0])
        }
        var claimed = Set<Int>()
        for (technique, tactic) in techniques.paired(with: tactics) {
            let parent = technique.map { Attack.normalizeID($0.id) + "." }
            let children = subtechniques.indices.filter { index in
                parent.map { Attack.normalizeID(subtechniques[index].id).hasPrefix($0) } ?? false
            }
            claimed.formUnion(children)
            if children.isEmpty {
                alert.attack(
                    technique: technique?.id, name: technique?.name, tactic: tactic?.id,
                    tacticName: tactic?.name)
            }
            for index in children {
                alert.attack(
                    technique: subtechniques[index].id, name: subtechniques[index].name, tactic: tactic?.id,
                    tacticName: tactic?.name)
            }
        }
        let onlyTactic = tactics.count == 1 ? tactics.first : nil
        for index in subtechniques.indices where !claimed.contains(index) {
            alert.attack(
                technique: subtechniques[index].id, name: subtechniques[index].name, tactic: onlyTactic?.id,
                tacticName: onlyTactic?.name)
        }
    }

    /// OCSF `cloud` requires the provider; account and region say which tenancy the host belongs to.
    static func cloud(of record: EnvelopedDocument) -> JSONValue? {
        guard let provider = record.text("cloud.provider") else { return nil }
        return JSONValue.compactObject([
            ("provider", .string(provider)),
            ("region", record.text("cloud.region").map(JSONValue.string)),
            ("zone", record.text("cloud.availability_zone").map(JSONValue.string)),
            (
                "account",
                JSONValue.compactObject([
                    ("uid", record.text("cloud.account.id").map(JSONValue.string)),
                    ("name", record.text("cloud.account.name").map(JSONValue.string)),
                ])
            ),
        ])
    }
}

// MARK: - Shared with the Wazuh mapper, whose alerts also travel as Elasticsearch / OpenSearch documents

/// Where an alert document sits in a record: bare, or inside the wrapper an export put around it.
struct DocumentEnvelope: Sendable {
    /// Path of the document in the record; empty for a bare document.
    var document: String
    /// Path of the wrapper's id for the document, used when the document carries no id of its own.
    var id: String?

    static let bare = DocumentEnvelope(document: "", id: nil)
    /// An Elasticsearch / OpenSearch search hit.
    static let searchHit = DocumentEnvelope(document: "_source", id: "_id")
    /// A search hit asked for `fields` (every value an array), the form Elastic recommends for alert indices.
    static let searchHitFields = DocumentEnvelope(document: "fields", id: "_id")
    /// A record of Kibana's es_archiver: `{"type": "doc", "value": {"id": …, "source": {…}}}`.
    static let archive = DocumentEnvelope(document: "value.source", id: "value.id")

    func document(in record: JSONValue) -> JSONValue? {
        document.isEmpty ? record : record[document]
    }
}

/// Reads an alert document through its envelope: paths are relative to the document, while the reader still
/// records which fields of the whole record were used, so `unmapped` keeps the envelope's other fields.
struct EnvelopedDocument {
    let reader: FieldReader
    let envelope: DocumentEnvelope
    private let prefix: String

    init(_ reader: FieldReader, _ envelope: DocumentEnvelope) {
        self.reader = reader
        self.envelope = envelope
        prefix = envelope.document.isEmpty ? "" : envelope.document + "."
    }

    func text(_ paths: String...) -> String? {
        for path in paths {
            if let text = reader.text(prefix + path) { return text }
        }
        return nil
    }

    func texts(_ path: String) -> [String] {
        reader.texts(prefix + path)
    }

    func values(_ path: String) -> [JSONValue] {
        reader.values(prefix + path)
    }

    func int(_ paths: String...) -> Int? {
        for path in paths {
            if let number = reader.record[prefix + path]?.int {
                reader.consume(prefix + path)
                return number
            }
        }
        return nil
    }

    func time(_ paths: String...) -> Date? {
        for path in paths {
            if let date = reader.time(prefix + path) { return date }
        }
        return nil
    }

    /// The first text at `path` without marking it used, for a value kept only if it makes sense.
    func peek(_ path: String) -> String? {
        reader.record.firstText(prefix + path)
    }

    func consume(_ path: String) {
        reader.consume(prefix + path)
    }

    /// The wrapper's id for the document (`_id`), when there is a wrapper.
    func envelopeID() -> String? {
        envelope.id.flatMap { reader.text($0) }
    }
}

enum NetworkAddress {
    /// The first address that identifies the host. Loopback and link-local addresses are on every host, and
    /// as observables they would relate unrelated alerts.
    static func preferred(_ addresses: [String]) -> String? {
        addresses.first(where: isHostSpecific)
    }

    static func isHostSpecific(_ address: String) -> Bool {
        guard address.contains(".") || address.contains(":") else { return false }  // "any", "unknown"
        return !Observable.isTooCommonToLink(kind: .ip, value: address)
    }

    /// Splits an address that carries its port (`192.0.2.1:80`, `[2001:db8::1]:443`); a bare IPv6 address
    /// stays whole.
    static func split(_ text: String?) -> (address: String?, port: Int?) {
        guard let text else { return (nil, nil) }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let address = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            return (address, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].contains("."), let port = Int(parts[1]) {
            return (String(parts[0]), port)
        }
        return (text, nil)
    }
}

extension String {
    /// The last component of a Unix or Windows path.
    var pathFileName: String {
        String(split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(self))
    }
}

extension JSONValue {
    /// True when the object has a value at `path` or below it, with nested keys, flattened dotted keys
    /// (`"kibana.alert.rule.name"`) or a mix.
    func containsPath(_ path: String) -> Bool {
        containsPath(Substring(path))
    }

    private func containsPath(_ path: Substring) -> Bool {
        switch self {
        case .array(let elements):
            return elements.contains { $0.containsPath(path) }
        case .object(let members):
            for member in members {
                let key = member.key.utf8
                if key.count >= path.utf8.count, key.starts(with: path.utf8) {
                    if key.count == path.utf8.count { return true }
                    if key[key.index(key.startIndex, offsetBy: path.utf8.count)] == UInt8(ascii: ".") { return true }
                } else if path.utf8.count > key.count, path.utf8.starts(with: key),
                    path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: key.count)] == UInt8(ascii: "."),
                    member.value.containsPath(Substring(path.utf8.dropFirst(key.count + 1)))
                {
                    return true
                }
            }
            return false
        default:
            return false
        }
    }
}

extension Array {
    /// Pairs two parallel lists that do not say which element goes with which (ATT&CK techniques and tactics):
    /// lists of equal length pair by position, a single element on one side goes with each element of the
    /// other, and anything else stays unpaired rather than paired wrongly.
    func paired<Other>(with others: [Other]) -> [(Element?, Other?)] {
        if count == others.count { return zip(self, others).map { pair -> (Element?, Other?) in (pair.0, pair.1) } }
        if others.isEmpty { return map { element -> (Element?, Other?) in (element, nil) } }
        if isEmpty { return others.map { other -> (Element?, Other?) in (nil, other) } }
        if others.count == 1 { return map { element -> (Element?, Other?) in (element, others.first) } }
        if count == 1 { return others.map { other -> (Element?, Other?) in (first, other) } }
        return map { element -> (Element?, Other?) in (element, nil) }
            + others.map { other -> (Element?, Other?) in (nil, other) }
    }
}
