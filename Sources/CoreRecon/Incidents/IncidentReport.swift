import Foundation

/// The post-incident report: what happened, how it was handled, and what was learned.
public struct IncidentReport: Encodable, Sendable {
    public struct Technique: Encodable, Sendable {
        public var id: String
        public var name: String?
        public var tactic: String?
        public var origin: String
    }

    public struct Metrics: Encodable, Sendable {
        public var timeToAcknowledgeSeconds: Double?
        public var timeToInvestigateSeconds: Double?
        public var timeToContainSeconds: Double?
        public var timeToResolveSeconds: Double?
    }

    public var incident: Incident
    public var alerts: [IncidentAlertSummary]
    public var timeline: [TimelineEntry]
    public var observables: [IncidentObservable]
    public var techniques: [Technique]
    public var tasks: [IncidentTask]
    public var evidence: [IncidentEvidence]
    public var metrics: Metrics
    public var generatedAt: Date

    /// Builds the report; `techniqueName` names technique ids (from the ATT&CK catalog).
    public init(detail: IncidentDetail, generatedAt: Date, techniqueName: (String) -> String?) {
        incident = detail.incident
        alerts = detail.alerts
        timeline = detail.timeline
        observables = detail.observables
        techniques = detail.techniques.map {
            Technique(id: $0.techniqueID, name: techniqueName($0.techniqueID), tactic: $0.tactic, origin: $0.origin)
        }
        tasks = detail.tasks
        evidence = detail.evidence
        let created = detail.incident.createdAt
        metrics = Metrics(
            timeToAcknowledgeSeconds: detail.incident.timeToAcknowledge,
            timeToInvestigateSeconds: detail.incident.timeToInvestigate,
            timeToContainSeconds: detail.incident.containedAt.map { $0.timeIntervalSince(created) },
            timeToResolveSeconds: detail.incident.timeToResolve)
        self.generatedAt = generatedAt
    }

    /// The report as Markdown.
    public var markdown: String {
        let item = incident
        var lines: [String] = []
        func cell(_ text: String?) -> String {
            (text ?? "-").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func time(_ date: Date?) -> String { date.map(ISO8601Format.forPeople) ?? "-" }
        lines.append("# \(item.key): \(item.title)")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| Severity | \(item.severity.name) |")
        lines.append("| State | \(item.state.rawValue) |")
        lines.append("| Resolution | \(item.resolution?.rawValue ?? "-") |")
        lines.append("| Type | \(item.type ?? "-") |")
        lines.append("| Assignee | \(item.assignee ?? "-") |")
        lines.append("| Created | \(time(item.createdAt)) by \(cell(item.createdBy)) |")
        lines.append("| Closed | \(time(item.closedAt)) |")
        lines.append("")
        lines.append("## Summary")
        lines.append("")
        lines.append(item.summary ?? item.description ?? "_No summary yet._")
        lines.append("")
        lines.append("## Metrics")
        lines.append("")
        lines.append("| Measure | Time |")
        lines.append("|---|---|")
        lines.append("| Time to acknowledge | \(Self.duration(metrics.timeToAcknowledgeSeconds)) |")
        lines.append("| Time to investigate | \(Self.duration(metrics.timeToInvestigateSeconds)) |")
        lines.append("| Time to contain | \(Self.duration(metrics.timeToContainSeconds)) |")
        lines.append("| Time to resolve | \(Self.duration(metrics.timeToResolveSeconds)) |")
        lines.append("")
        lines.append("## Timeline")
        lines.append("")
        if timeline.isEmpty { lines.append("_Empty._") }
        for entry in timeline {
            let category = entry.category.map { " [\($0)]" } ?? ""
            lines.append("- \(time(entry.at))\(category) \(entry.message) (\(entry.actor))")
        }
        lines.append("")
        func table(_ title: String, _ header: [String], _ rows: [[String]], empty: String = "_None._") {
            lines.append("## \(title)")
            lines.append("")
            if rows.isEmpty {
                lines.append(empty)
            } else {
                lines.append("| " + header.joined(separator: " | ") + " |")
                lines.append("|" + String(repeating: "---|", count: header.count))
                lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
            }
            lines.append("")
        }
        table(
            "Alerts", ["Alert", "Severity", "Source", "First seen", "Title"],
            alerts.map { ["\($0.id)", $0.severity, cell($0.source), time($0.firstSeen), cell($0.title)] })
        table(
            "Observables", ["Type", "Value", "IOC", "TLP", "Tags"],
            observables.map {
                [
                    $0.type.rawValue, "`\(cell($0.value))`", $0.isIOC ? "yes" : "no", $0.tlp?.rawValue ?? "-",
                    cell($0.tags.joined(separator: ", ")),
                ]
            })
        table(
            "ATT&CK techniques", ["Technique", "Name", "Tactic"],
            techniques.map { [$0.id, cell($0.name), cell($0.tactic)] }, empty: "_None mapped._")
        table(
            "Tasks", ["#", "Task", "State", "Assignee", "Completed"],
            tasks.map {
                ["\($0.number)", cell($0.title), $0.state.rawValue, cell($0.assignee), time($0.completedAt)]
            })
        table(
            "Evidence", ["#", "File", "Bytes", "SHA-256", "Added"],
            evidence.map {
                [
                    "\($0.id)", cell($0.fileName), "\($0.size)", "`\($0.sha256)`",
                    "\(time($0.addedAt)) by \(cell($0.addedBy))",
                ]
            })
        lines.append("## Lessons learned")
        lines.append("")
        lines.append(item.lessons ?? "_Not recorded yet._")
        lines.append("")
        lines.append("_Generated \(time(generatedAt)) by corerecon._")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3d 4h`, `2h 05m`, `12m 30s`, `45s`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        let total = Int(seconds.rounded())
        let (days, hours, minutes, rest) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60, total % 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(two(minutes))m" }
        if minutes > 0 { return "\(minutes)m \(two(rest))s" }
        return "\(rest)s"
    }
}
