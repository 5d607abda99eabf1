/// OCSF events (https://schema.ocsf.io). A Detection Finding (2004) or Security Finding (2001) keeps its
/// attributes; any other event class becomes the evidence of a new Detection Finding, with its severity.
public enum OCSFMapper: AlertMapper {
    /// Attributes the Detection Finding builder writes itself.
    static let rebuilt: Set<String> = [
        "class_uid", "class_name", "category_uid", "category_name", "activity_id", "activity_name", "type_uid",
        "type_name", "time", "severity_id", "severity", "status_id", "status", "metadata", "finding_info",
        "observables", "attacks", "raw_data", "raw_data_size", "unmapped", "message", "is_alert",
    ]

    public static func recognizes(_ record: JSONValue) -> Bool {
        record[key: "class_uid"]?.int != nil && (record[key: "metadata"]?.members != nil)
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let classUID = record["class_uid"]?.int else {
            throw MappingError(field: "class_uid", "missing or not a number; every OCSF event has one")
        }
        let isFinding = classUID == 2004 || classUID == 2001
        let className = record.text("class_name") ?? "OCSF class \(classUID)"
        let title =
            record.text("finding_info.title", "finding.title", "message")
            ?? [className, record.text("activity_name")].compactMap { $0 }.joined(separator: ": ")
        let severity =
            record["severity_id"]?.int.flatMap(Severity.init(rawValue:))
            ?? record.text("severity").flatMap(SeverityScale.fromWord) ?? .unknown
        let product = record.text("metadata.product.name") ?? "OCSF"
        let vendor = record.text("metadata.product.vendor_name") ?? "Unknown"
        var alert = MappedAlert(format: .ocsf, product: product, vendor: vendor, title: title, severity: severity)
        alert.productVersion = record.text("metadata.product.version")
        alert.sourceSeverity = record.text("severity")
        alert.time = record.time("time", "time_dt")
        alert.sourceID = record.text("finding_info.uid", "finding.uid", "metadata.uid")
        alert.description = record.text("finding_info.desc", "finding.desc")
        alert.ruleUID = record.text("finding_info.analytic.uid")
        alert.ruleName = record.text("finding_info.analytic.name")
        alert.types = record.texts("finding_info.types")
        record.consume(
            "metadata", "finding_info", "class_uid", "class_name", "category_uid", "category_name",
            "activity_id", "activity_name", "type_uid", "type_name", "severity_id", "status_id",
            "status", "raw_data", "raw_data_size", "is_alert")

        for observable in record.values("observables") {
            let kind: Observable.Kind? =
                switch observable[key: "type_id"]?.int {
                case 1: .hostname
                case 2: .ip
                case 4, 21: .user
                case 5: .email
                case 6, 23: .url
                case 7: .file
                case 8: .hash
                case 9: .process
                case 10: .resource
                case 13: .commandLine
                case 45: .path
                default: nil
                }
            if let kind {
                alert.observe(
                    kind, observable[key: "value"]?.nonEmptyText,
                    name: observable[key: "name"]?.nonEmptyText ?? kind.rawValue)
            }
        }
        let host = record.text("device.hostname", "device.name")
        let user = record.text("actor.user.name", "user.name")
        let sourceIP = record.text("src_endpoint.ip")
        let destinationIP = record.text("dst_endpoint.ip")
        alert.identify(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)

        for attack in record.values("attacks") + record.values("finding_info.attacks") {
            alert.attack(
                technique: attack["sub_technique.uid"]?.nonEmptyText ?? attack["technique.uid"]?.nonEmptyText,
                name: attack["sub_technique.name"]?.nonEmptyText ?? attack["technique.name"]?.nonEmptyText,
                tactic: attack["tactic.uid"]?.nonEmptyText ?? attack["tactics.uid"]?.nonEmptyText,
                tacticName: attack["tactic.name"]?.nonEmptyText ?? attack["tactics.name"]?.nonEmptyText
            )
        }

        // Everything else is kept: a finding's own attributes stay top-level; another class's event becomes
        // the finding's evidence.
        // Attributes the finding class does not have stay under `unmapped` (left unconsumed here).
        var event: [JSONMember] = []
        for member in record.record.members ?? [] where !rebuilt.contains(member.key) {
            if isFinding {
                guard DetectionFinding.classAttributes.contains(member.key) else { continue }
                // OCSF 1.0 had a numeric `confidence`; since 1.1 that number is `confidence_score`.
                if member.key == "confidence", case .number = member.value {
                    alert.set("confidence_score", member.value)
                } else {
                    alert.set(member.key, member.value)
                }
            } else {
                guard DetectionFinding.evidenceAttributes.contains(member.key) else { continue }
                event.append(member)
            }
            record.consume(member.key)
        }
        if !isFinding {
            if !event.isEmpty { alert.set("evidences", .array([.object(event)])) }
            alert.types = alert.types.isEmpty ? [className] : alert.types
        }
        return alert
    }
}
