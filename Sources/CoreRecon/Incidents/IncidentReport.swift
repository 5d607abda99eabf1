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
        alerts = detail.alerts.map(IncidentAlertSummary.init)
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
        func time(_ date: Date?) -> String { date.map { ISO8601Format.string(from: $0) } ?? "-" }
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
        lines.append("## Alerts")
        lines.append("")
        if alerts.isEmpty {
            lines.append("_None._")
        } else {
            lines.append("| Alert | Severity | Source | First seen | Title |")
            lines.append("|---|---|---|---|---|")
            for alert in alerts {
                lines.append(
                    "| \(alert.id) | \(alert.severity) | \(cell(alert.source)) | \(time(alert.firstSeen)) | \(cell(alert.title)) |"
                )
            }
        }
        lines.append("")
        lines.append("## Observables")
        lines.append("")
        if observables.isEmpty {
            lines.append("_None._")
        } else {
            lines.append("| Type | Value | IOC | TLP | Tags |")
            lines.append("|---|---|---|---|---|")
            for observable in observables {
                lines.append(
                    "| \(observable.type.rawValue) | `\(cell(observable.value))` | \(observable.isIOC ? "yes" : "no") | "
                        + "\(observable.tlp?.rawValue ?? "-") | \(cell(observable.tags.joined(separator: ", "))) |")
            }
        }
        lines.append("")
        lines.append("## ATT&CK techniques")
        lines.append("")
        if techniques.isEmpty {
            lines.append("_None mapped._")
        } else {
            lines.append("| Technique | Name | Tactic |")
            lines.append("|---|---|---|")
            for technique in techniques {
                lines.append("| \(technique.id) | \(cell(technique.name)) | \(cell(technique.tactic)) |")
            }
        }
        lines.append("")
        lines.append("## Tasks")
        lines.append("")
        if tasks.isEmpty {
            lines.append("_None._")
        } else {
            lines.append("| # | Task | State | Assignee | Completed |")
            lines.append("|---|---|---|---|---|")
            for task in tasks {
                lines.append(
                    "| \(task.number) | \(cell(task.title)) | \(task.state.rawValue) | \(cell(task.assignee)) | "
                        + "\(time(task.completedAt)) |")
            }
        }
        lines.append("")
        lines.append("## Evidence")
        lines.append("")
        if evidence.isEmpty {
            lines.append("_None._")
        } else {
            lines.append("| # | File | Bytes | SHA-256 | Added |")
            lines.append("|---|---|---|---|---|")
            for item in evidence {
                lines.append(
                    "| \(item.id) | \(cell(item.fileName)) | \(item.size) | `\(item.sha256)` | "
                        + "\(time(item.addedAt)) by \(cell(item.addedBy)) |")
            }
        }
        lines.append("")
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
