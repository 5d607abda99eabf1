import Foundation

/// The formats `ioc import` reads.
public enum IndicatorFeedFormat: String, Sendable, CaseIterable {
    /// Decided from the content: a STIX bundle, a MISP event, CSV with a header, or a list.
    case auto
    /// One value per line; `#` comments; extra fields after white space ignored (IPsum's counts, Maltrail's
    /// comments).
    case txt
    /// A header row naming the columns: `value` (or indicator, ioc, observable), `type`, `tags`, `confidence`,
    /// `tlp`, `description`.
    case csv
    /// A STIX 2.0 or 2.1 bundle (or a JSON array of STIX objects).
    case stix
    /// A MISP event: `{"Event": ...}`, the REST API's `{"response": [...]}`, or a bare event.
    case misp
}

/// What a feed file yields: reports to store, and the records refused with their location and reason.
public struct IndicatorFeed: Sendable {
    public var format: IndicatorFeedFormat
    public var reports: [IndicatorReport] = []
    public var rejections: [Rejection] = []
    /// Records not meant for detection (MISP attributes with `to_ids` false), not imported.
    public var skipped = 0

    public init(format: IndicatorFeedFormat) {
        self.format = format
    }
}

/// Reads indicator feeds. Malformed JSON fails the whole file (nothing from it is stored); a bad record is
/// rejected alone.
public struct IndicatorFeedReader: Sendable {
    public var source: String
    /// Forces the type of every value (lists and CSV without a type column).
    public var type: IndicatorType?
    /// CSV column names: `value`, `type`, `tags`, ... to the header's names.
    public var columns: [String: String]

    public init(source: String, type: IndicatorType? = nil, columns: [String: String] = [:]) {
        self.source = source
        self.type = type
        self.columns = columns
    }

    public func read(_ bytes: [UInt8], name: String, format: IndicatorFeedFormat) throws(CoreReconError)
        -> IndicatorFeed
    {
        let format = format == .auto ? Self.detect(bytes) : format
        switch format {
        case .auto, .txt: return readList(bytes, name: name)
        case .csv: return try readCSV(bytes, name: name)
        case .stix, .misp:
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                throw .invalidInput(location: "\(name):\(error.offset + 1)", reason: "not valid JSON: \(error)")
            }
            return format == .stix ? try readSTIX(value, name: name) : try readMISP(value, name: name)
        }
    }

    /// STIX objects gathered from elsewhere (the pages of a TAXII collection), read as one bundle so that
    /// relationships and markings apply across pages.
    public func read(stixObjects objects: [JSONValue], name: String) throws(CoreReconError) -> IndicatorFeed {
        try readSTIX(.array(objects), name: name)
    }

    /// JSON with `objects` or `"type": "bundle"` is STIX; with `Event`, `response` or `Attribute`, MISP; a first
    /// line with a comma and a known column name, CSV; else a list.
    public static func detect(_ bytes: [UInt8]) -> IndicatorFeedFormat {
        guard let first = bytes.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            return .txt
        }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let head = String(decoding: bytes.prefix(4_096), as: UTF8.self)
            if head.contains("\"Event\"") || head.contains("\"response\"") || head.contains("\"Attribute\"") {
                return .misp
            }
            return .stix
        }
        let line = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self).lowercased()
        if line.contains(","),
            line.split(separator: ",").contains(where: {
                valueColumns.contains($0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""]))
            })
        {
            return .csv
        }
        return .txt
    }

    static let valueColumns: Set<String> = ["value", "indicator", "ioc", "observable"]

    // MARK: - Lists

    func readList(_ bytes: [UInt8], name: String) -> IndicatorFeed {
        var feed = IndicatorFeed(format: .txt)
        var lineNumber = 0
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var text = Substring(line)
            if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
            let value = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "," || $0 == ";" })
                .first
            guard let value, !value.isEmpty else { continue }
            add(String(value), location: "\(name):\(lineNumber)", to: &feed)
        }
        return feed
    }

    func add(
        _ value: String, type: IndicatorType? = nil, location: String, to feed: inout IndicatorFeed,
        _ edit: (inout IndicatorReport) -> Void = { _ in }
    ) {
        do {
            var report = try IndicatorReport.parse(value, type: type ?? self.type, source: source, location: location)
            edit(&report)
            feed.reports.append(report)
        } catch {
            feed.rejections.append(Rejection(location: location, raw: "", reason: error.reasonText))
        }
    }

    // MARK: - CSV

    func readCSV(_ bytes: [UInt8], name: String) throws(CoreReconError) -> IndicatorFeed {
        var feed = IndicatorFeed(format: .csv)
        let rows = CSV.rows(String(decoding: bytes, as: UTF8.self))
        guard let header = rows.first else { return feed }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ key: String, _ defaults: Set<String>) -> Int? {
            if let given = columns[key]?.lowercased() { return names.firstIndex(of: given) }
            return names.firstIndex { defaults.contains($0) }
        }
        guard let valueColumn = column("value", Self.valueColumns) else {
            throw .invalidInput(
                location: "\(name):1",
                reason:
                    "no value column in the header (\(names.joined(separator: ", "))); name it with --column value=NAME."
            )
        }
        let typeColumn = column("type", ["type", "kind", "indicator_type", "ioc_type"])
        let tagsColumn = column("tags", ["tags", "tag", "labels"])
        let confidenceColumn = column("confidence", ["confidence", "score"])
        let tlpColumn = column("tlp", ["tlp"])
        let descriptionColumn = column("description", ["description", "comment", "note"])
        for row in rows.dropFirst() {
            let location = "\(name):\(row.line)"
            func field(_ index: Int?) -> String? {
                guard let index, index < row.fields.count else { return nil }
                let text = row.fields[index].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            guard let value = field(valueColumn) else {
                if row.fields.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    feed.rejections.append(Rejection(location: location, raw: "", reason: "the value column is empty"))
                }
                continue
            }
            var type: IndicatorType?
            if let name = field(typeColumn) {
                guard let parsed = IndicatorType(feedName: name) else {
                    feed.rejections.append(
                        Rejection(location: location, raw: "", reason: "unknown type '\(name)'"))
                    continue
                }
                type = parsed
            }
            var confidence: Int?
            if let text = field(confidenceColumn) {
                guard let number = Int(text), (0...100).contains(number) else {
                    feed.rejections.append(
                        Rejection(location: location, raw: "", reason: "confidence '\(text)' is not 0 to 100"))
                    continue
                }
                confidence = number
            }
            var tlp: TLP?
            if let text = field(tlpColumn) {
                guard let parsed = TLP(name: text) else {
                    feed.rejections.append(Rejection(location: location, raw: "", reason: "unknown TLP '\(text)'"))
                    continue
                }
                tlp = parsed
            }
            let tags =
                field(tagsColumn).map {
                    $0.split(whereSeparator: { ";|".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
                        .filter { !$0.isEmpty }
                } ?? []
            let description = field(descriptionColumn)
            add(value, type: type, location: location, to: &feed) { report in
                report.confidence = confidence
                report.tlp = tlp
                report.tags = tags
                report.description = description
            }
        }
        return feed
    }

    // MARK: - STIX

    /// TLP marking definitions by id: TLP 2.0 and 1.0 (white is clear).
    static let tlpMarkings: [String: TLP] = [
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": .clear,
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": .green,
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": .amber,
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": .amberStrict,
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": .red,
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": .clear,
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": .green,
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": .amber,
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": .red,
    ]

    /// The indicator type of a STIX object path, for the values of a pattern or an observable.
    static func type(ofPath path: String, value: String) -> IndicatorType? {
        let lowered = path.lowercased()
        switch lowered {
        case "ipv4-addr:value": return value.contains("/") ? .cidr : .ipv4
        case "ipv6-addr:value": return value.contains("/") ? .cidr : .ipv6
        case "domain-name:value": return .domain
        case "url:value": return .url
        case "email-addr:value", "email-message:from_ref.value", "email-message:sender_ref.value": return .email
        case "file:name": return .filename
        case "windows-registry-key:key": return .registry
        case "autonomous-system:number": return .asn
        case "network-traffic:extensions.'http-request-ext'.request_header.'user-agent'": return .userAgent
        default: break
        }
        if lowered.hasPrefix("file:hashes.") || lowered.hasPrefix("x509-certificate:hashes.")
            || lowered.hasPrefix("artifact:hashes.")
        {
            let algorithm = lowered.split(separator: ".").last.map { $0.replacingOccurrences(of: "'", with: "") } ?? ""
            switch algorithm.replacingOccurrences(of: "-", with: "") {
            case "md5": return .md5
            case "sha1": return .sha1
            case "sha256": return .sha256
            case "sha512": return .sha512
            case "ssdeep": return .ssdeep
            default: return nil
            }
        }
        return nil
    }

    func readSTIX(_ root: JSONValue, name: String) throws(CoreReconError) -> IndicatorFeed {
        var feed = IndicatorFeed(format: .stix)
        let objects: [JSONValue]
        if let array = root.arrayValue {
            objects = array
        } else if let list = root[key: "objects"]?.arrayValue {
            objects = list
        } else {
            throw .invalidInput(location: name, reason: "not a STIX bundle: no `objects` array.")
        }
        var byID: [String: JSONValue] = [:]
        for object in objects { if let id = object[key: "id"]?.stringValue { byID[id] = object } }
        // TLP markings defined in the bundle (STIX 2.0 style: definition_type tlp).
        var markings = Self.tlpMarkings
        for object in objects where object[key: "type"]?.stringValue == "marking-definition" {
            guard let id = object[key: "id"]?.stringValue else { continue }
            let name = object[key: "definition"]?[key: "tlp"]?.stringValue ?? object[key: "name"]?.stringValue
            if let name, let tlp = TLP(name: name) { markings[id] = tlp }
        }
        // What each indicator indicates: malware, intrusion sets and techniques, via relationships.
        var indicates: [String: [JSONValue]] = [:]
        for object in objects where object[key: "type"]?.stringValue == "relationship" {
            guard let sourceRef = object[key: "source_ref"]?.stringValue, sourceRef.hasPrefix("indicator--"),
                let targetRef = object[key: "target_ref"]?.stringValue, let target = byID[targetRef]
            else { continue }
            indicates[sourceRef, default: []].append(target)
        }
        for (position, object) in objects.enumerated() {
            let type = object[key: "type"]?.stringValue ?? ""
            let id = object[key: "id"]?.stringValue ?? "#\(position + 1)"
            let location = "\(name): \(id)"
            switch type {
            case "indicator":
                readSTIXIndicator(
                    object, location: location, markings: markings, related: indicates[id] ?? [], into: &feed)
            case "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr":
                guard let value = object[key: "value"]?.stringValue else {
                    feed.rejections.append(
                        Rejection(location: location, raw: "", reason: "the \(type) object has no value"))
                    continue
                }
                add(value, type: Self.type(ofPath: type + ":value", value: value), location: location, to: &feed) {
                    $0.tlp = Self.tlp(of: object, markings)
                }
            case "file":
                for member in object[key: "hashes"]?.members ?? [] {
                    guard let value = member.value.stringValue,
                        let kind = Self.type(ofPath: "file:hashes.'\(member.key)'", value: value)
                    else { continue }
                    add(value, type: kind, location: location, to: &feed) { $0.tlp = Self.tlp(of: object, markings) }
                }
            default: continue
            }
        }
        return feed
    }

    static func tlp(of object: JSONValue, _ markings: [String: TLP]) -> TLP? {
        (object[key: "object_marking_refs"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { markings[$0] } }
            .reduce(nil) { TLP.stricterOf($0, $1) }
    }

    func readSTIXIndicator(
        _ object: JSONValue, location: String, markings: [String: TLP], related: [JSONValue],
        into feed: inout IndicatorFeed
    ) {
        guard let pattern = object[key: "pattern"]?.stringValue else {
            feed.rejections.append(Rejection(location: location, raw: "", reason: "the indicator has no pattern"))
            return
        }
        if let patternType = object[key: "pattern_type"]?.stringValue, patternType != "stix" {
            feed.rejections.append(
                Rejection(location: location, raw: "", reason: "pattern_type \(patternType) is not STIX patterning"))
            return
        }
        let node: STIXPattern.Node
        do {
            node = try STIXPattern.parse(pattern)
        } catch {
            feed.rejections.append(Rejection(location: location, raw: "", reason: "the pattern is not valid: \(error)"))
            return
        }
        var tags = (object[key: "labels"]?.arrayValue ?? []).compactMap(\.stringValue)
        tags += (object[key: "indicator_types"]?.arrayValue ?? []).compactMap(\.stringValue)
        var techniques: [String] = []
        for phase in object[key: "kill_chain_phases"]?.arrayValue ?? [] {
            if let phaseName = phase[key: "phase_name"]?.stringValue { tags.append("kill-chain:\(phaseName)") }
        }
        for target in related {
            let kind = target[key: "type"]?.stringValue ?? ""
            if kind == "attack-pattern" {
                for reference in target[key: "external_references"]?.arrayValue ?? [] {
                    if let id = reference[key: "external_id"]?.stringValue, AlertQuery.isTechniqueID(id) {
                        techniques.append(id.uppercased())
                    }
                }
            } else if let name = target[key: "name"]?.stringValue {
                tags.append("\(kind):\(name)")
            }
        }
        let tlp = Self.tlp(of: object, markings)
        let confidence = object[key: "confidence"]?.int.flatMap { (0...100).contains($0) ? $0 : nil }
        let validFrom = object[key: "valid_from"]?.stringValue.flatMap(TimestampParser.iso8601)
        let validUntil = object[key: "valid_until"]?.stringValue.flatMap(TimestampParser.iso8601)
        let revoked = object[key: "revoked"]?.bool ?? false
        let description = object[key: "description"]?.stringValue
        func fill(_ report: inout IndicatorReport) {
            report.tags = tags
            report.techniques = techniques
            report.tlp = tlp
            report.confidence = confidence
            report.validFrom = validFrom
            report.validUntil = validUntil
            report.revoked = revoked
            report.description = description
        }
        for reference in object[key: "external_references"]?.arrayValue ?? [] {
            if reference[key: "source_name"]?.stringValue == "mitre-attack",
                let id = reference[key: "external_id"]?.stringValue, AlertQuery.isTechniqueID(id)
            {
                techniques.append(id.uppercased())
            }
        }
        // What CoreRecon exported names its own type and value exactly.
        if let typeName = object[key: "x_corerecon_type"]?.stringValue, let kind = IndicatorType(rawValue: typeName),
            let value = object[key: "x_corerecon_value"]?.stringValue
        {
            let validFrom = object[key: "x_corerecon_valid_from"]?.stringValue.flatMap(TimestampParser.iso8601)
            let fillOwn: (inout IndicatorReport) -> Void = { report in
                fill(&report)
                report.validFrom = validFrom
            }
            if kind == .stixPattern {
                var report = IndicatorReport(type: .stixPattern, value: value, source: source, location: location)
                fillOwn(&report)
                report.pattern = pattern
                feed.reports.append(report)
            } else {
                add(value, type: kind, location: location, to: &feed, fillOwn)
            }
            return
        }
        if let pairs = STIXPattern.values(of: node),
            pairs.allSatisfy({ Self.type(ofPath: $0.path, value: $0.value) != nil })
        {
            for pair in pairs {
                add(
                    pair.value, type: Self.type(ofPath: pair.path, value: pair.value), location: location, to: &feed,
                    fill)
            }
        } else {
            var report = IndicatorReport(type: .stixPattern, value: pattern, source: source, location: location)
            fill(&report)
            report.pattern = pattern
            feed.reports.append(report)
        }
    }

    // MARK: - MISP

    /// MISP attribute types to indicator types; composite types (`domain|ip`) name both halves.
    static func mispTypes(_ type: String) -> [IndicatorType?] {
        func one(_ name: String) -> IndicatorType? {
            switch name {
            case "ip-src", "ip-dst": return .ipv4  // refined by shape below
            case "domain": return .domain
            case "hostname": return .hostname
            case "url", "uri", "link": return .url
            case "email", "email-src", "email-dst", "email-reply-to": return .email
            case "md5", "sha1", "sha256", "sha512", "ssdeep": return IndicatorType(rawValue: name)
            case "ja3-fingerprint-md5": return .ja3
            case "ja4-fingerprint": return .ja4
            case "filename": return .filename
            case "regkey": return .registry
            case "user-agent": return .userAgent
            case "AS": return .asn
            case "stix2-pattern": return .stixPattern
            case "port": return nil
            default: return nil
            }
        }
        if type == "ip-src|port" || type == "ip-dst|port" { return [.ipPort] }
        return type.split(separator: "|").map { one(String($0)) }
    }

    func readMISP(_ root: JSONValue, name: String) throws(CoreReconError) -> IndicatorFeed {
        var feed = IndicatorFeed(format: .misp)
        var events: [JSONValue] = []
        if let event = root[key: "Event"] {
            events = [event]
        } else if let response = root[key: "response"]?.arrayValue {
            events = response.compactMap { $0[key: "Event"] ?? $0 }
        } else if let array = root.arrayValue {
            events = array.compactMap { $0[key: "Event"] ?? $0 }
        } else if root[key: "Attribute"] != nil || root[key: "Object"] != nil {
            events = [root]
        } else {
            throw .invalidInput(location: name, reason: "not a MISP event: no Event, response or Attribute.")
        }
        for event in events {
            let eventID = event[key: "uuid"]?.stringValue ?? event[key: "id"]?.stringValue ?? "event"
            let eventTags = Self.mispTags(event)
            var attributes: [(JSONValue, String)] = (event[key: "Attribute"]?.arrayValue ?? []).map { ($0, "") }
            for object in event[key: "Object"]?.arrayValue ?? [] {
                let objectName = object[key: "name"]?.stringValue ?? "object"
                attributes += (object[key: "Attribute"]?.arrayValue ?? []).map { ($0, objectName) }
            }
            for (index, (attribute, objectName)) in attributes.enumerated() {
                let location =
                    "\(name): event \(eventID) attribute \(attribute[key: "uuid"]?.stringValue ?? "#\(index + 1)")"
                let toIDS = attribute[key: "to_ids"]?.bool ?? (attribute[key: "to_ids"]?.stringValue == "1")
                guard toIDS else {
                    feed.skipped += 1
                    continue
                }
                guard let type = attribute[key: "type"]?.stringValue, let value = attribute[key: "value"]?.stringValue
                else {
                    feed.rejections.append(
                        Rejection(location: location, raw: "", reason: "the attribute has no type or value"))
                    continue
                }
                let kinds = Self.mispTypes(type)
                let values =
                    kinds.count > 1
                    ? value.split(separator: "|", omittingEmptySubsequences: false).map(String.init) : [value]
                guard kinds.contains(where: { $0 != nil }), values.count == kinds.count else {
                    feed.rejections.append(
                        Rejection(
                            location: location, raw: "",
                            reason: "attribute type '\(type)' is not an indicator type CoreRecon keeps"))
                    continue
                }
                let tags =
                    eventTags.tags + Self.mispTags(attribute).tags
                    + (objectName.isEmpty ? [] : ["misp-object:\(objectName)"])
                let techniques = eventTags.techniques + Self.mispTags(attribute).techniques
                let tlp = Self.mispTags(attribute).tlp ?? eventTags.tlp
                let comment = attribute[key: "comment"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                for (kind, part) in zip(kinds, values) {
                    guard var kind else { continue }
                    var part = part
                    // ip-dst|port writes its pair with a bar: 192.0.2.1|443, 2001:db8::1|443.
                    if kind == .ipPort, let bar = part.lastIndex(of: "|") {
                        let address = part[..<bar]
                        part =
                            (address.contains(":") ? "[\(address)]" : String(address)) + ":"
                            + part[part.index(after: bar)...]
                    }
                    // MISP accepts URLs without a scheme (www.example.com/path); read them as http.
                    if kind == .url, !part.contains("://"), let host = part.split(separator: "/").first,
                        let hostType = IndicatorType.detect(String(host)),
                        [.domain, .hostname, .ipv4, .ipPort].contains(hostType)
                    {
                        part = "http://" + part
                    }
                    // ip-src and ip-dst hold IPv6 addresses and networks too.
                    if kind == .ipv4, let detected = IndicatorType.detect(part), [.ipv6, .cidr].contains(detected) {
                        kind = detected
                    }
                    if kind == .stixPattern {
                        // Kept whole, as a STIX bundle's patterns are (once they parse).
                        do {
                            _ = try STIXPattern.parse(part)
                        } catch {
                            feed.rejections.append(
                                Rejection(location: location, raw: part, reason: "not a STIX pattern: \(error)"))
                            continue
                        }
                        var report = IndicatorReport(
                            type: .stixPattern, value: part, source: source, location: location)
                        report.pattern = part
                        report.tags = tags
                        report.techniques = techniques
                        report.tlp = tlp
                        report.description = comment
                        feed.reports.append(report)
                        continue
                    }
                    add(part, type: kind, location: location, to: &feed) { report in
                        report.tags = tags
                        report.techniques = techniques
                        report.tlp = tlp
                        report.description = comment
                    }
                }
            }
        }
        return feed
    }

    /// Tags of a MISP event or attribute: `tlp:*` become the TLP, ATT&CK galaxy clusters the techniques.
    static func mispTags(_ object: JSONValue) -> (tags: [String], techniques: [String], tlp: TLP?) {
        var tags: [String] = []
        var techniques: [String] = []
        var tlp: TLP?
        for tag in object[key: "Tag"]?.arrayValue ?? [] {
            guard let name = tag[key: "name"]?.stringValue else { continue }
            if name.lowercased().hasPrefix("tlp:"), let marking = TLP(name: name) {
                tlp = TLP.stricterOf(tlp, marking)
                continue
            }
            if name.hasPrefix("misp-galaxy:mitre-"),
                let id = name.split(separator: "-").last.map({
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                }), AlertQuery.isTechniqueID(id)
            {
                techniques.append(id.uppercased())
            }
            tags.append(name)
        }
        for galaxy in object[key: "Galaxy"]?.arrayValue ?? [] {
            for cluster in galaxy[key: "GalaxyCluster"]?.arrayValue ?? [] {
                if let id = cluster[key: "meta"]?[key: "external_id"]?.arrayValue?.first?.stringValue,
                    AlertQuery.isTechniqueID(id)
                {
                    techniques.append(id.uppercased())
                } else if let value = cluster[key: "value"]?.stringValue,
                    let id = value.split(separator: " ").last.map(String.init), AlertQuery.isTechniqueID(id)
                {
                    techniques.append(id.uppercased())
                }
            }
        }
        return (tags, techniques, tlp)
    }
}

/// A MISP feed's `manifest.json`: the events the feed publishes (each in `UUID.json` beside it), by uuid, with
/// the timestamp of their last change.
public enum MISPFeedManifest {
    public static func events(_ bytes: [UInt8], location: String) throws(CoreReconError)
        -> [(uuid: String, timestamp: Int64)]
    {
        let manifest: JSONValue
        do {
            manifest = try JSONParser.parse(bytes)
        } catch {
            throw .invalidInput(location: "\(location):\(error.offset + 1)", reason: "not valid JSON: \(error)")
        }
        guard let entries = manifest.members, entries.allSatisfy({ $0.value.members != nil }) else {
            throw .invalidInput(location: location, reason: "not a MISP feed manifest: not an object of events by uuid")
        }
        var events: [(uuid: String, timestamp: Int64)] = []
        for entry in entries {
            // The uuid names a file or a URL path: nothing but hex digits and dashes.
            guard !entry.key.isEmpty, entry.key.count <= 64, entry.key.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                throw .invalidInput(location: location, reason: "'\(entry.key)' is not an event uuid")
            }
            events.append((entry.key, entry.value[key: "timestamp"]?.text.flatMap { Int64($0) } ?? 0))
        }
        return events
    }
}

extension TLP {
    /// The stricter of two markings (red over amber+strict over amber over green over clear).
    public static func stricterOf(_ a: TLP?, _ b: TLP?) -> TLP? {
        guard let a else { return b }
        guard let b else { return a }
        let order = TLP.allCases
        return (order.firstIndex(of: a) ?? 0) >= (order.firstIndex(of: b) ?? 0) ? a : b
    }
}

extension IndicatorType {
    /// A type as feeds name it: our names, STIX object types and MISP attribute types.
    public init?(feedName: String) {
        let lowered = feedName.lowercased()
        if let type = IndicatorType(rawValue: lowered) {
            self = type
            return
        }
        switch lowered {
        case "ip", "ipv4-addr", "ip-src", "ip-dst", "ip-address": self = .ipv4
        case "ipv6-addr": self = .ipv6
        case "domain-name", "fqdn": self = .domain
        case "uri", "link": self = .url
        case "email-addr", "email-src", "email-dst": self = .email
        case "sha-1": self = .sha1
        case "sha-256": self = .sha256
        case "sha-512": self = .sha512
        case "ja3-fingerprint-md5": self = .ja3
        case "regkey", "registry-key": self = .registry
        case "useragent": self = .userAgent
        case "as", "autonomous-system": self = .asn
        case "ip-port", "ip|port": self = .ipPort
        default: return nil
        }
    }
}

/// RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends, line numbers kept for messages.
enum CSV {
    struct Row {
        var line: Int
        var fields: [String]
    }

    static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func finishRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields = []
            field = ""
        }
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\r" where pending == "\n": continue
            case "\n":
                finishRow()
                line += 1
                rowLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !fields.isEmpty { finishRow() }
        return rows
    }
}

extension CoreReconError {
    /// The reason alone, for a rejection that carries its location separately.
    var reasonText: String {
        if case .invalidInput(_, let reason) = self { return reason }
        return "\(self)"
    }
}

extension JSONValue {
    /// A JSON string (not the text of a number).
    fileprivate var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension Rejection {
    init(location: String, raw: String, reason: String) {
        self.init(location: location, reason: reason, raw: raw)
    }
}
