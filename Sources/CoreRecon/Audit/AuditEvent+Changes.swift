import Foundation

extension AuditEvent {
    /// The audit row for one alert change, from the history entries it wrote.
    public init?(alertChange entries: [AlertHistoryEntry]) {
        guard let first = entries.first else { return nil }
        var summary = AuditSummary()
        for entry in entries {
            summary.record(
                entry.field ?? entry.action, old: entry.oldValue,
                new: entry.field == nil ? entry.message : entry.newValue)
        }
        self.init(
            at: first.at, actor: first.actor, action: "alert.\(first.action)", target: "alert:\(first.alertID)",
            summary: summary)
    }

    /// The audit row for one stored ingest batch: how many records, what they did, from which sources.
    public init(ingestBatch batch: [NormalizedAlert], outcomes: [StoreOutcome], actor: String, at: Date) {
        var counts = (created: 0, merged: 0, redelivered: 0)
        for outcome in outcomes {
            switch outcome {
            case .created: counts.created += 1
            case .merged: counts.merged += 1
            case .redelivered: counts.redelivered += 1
            }
        }
        let sources = Set(batch.map(\.source)).sorted().joined(separator: ",")
        self.init(
            at: at, actor: actor, action: "ingest.batch", target: "ingest:\(sources)",
            summary: AuditSummary(after: [
                "records": "\(batch.count)", "created": "\(counts.created)", "merged": "\(counts.merged)",
                "redelivered": "\(counts.redelivered)",
            ]))
    }
}

extension AuditSummary {
    /// Adds one field's change; a field changed twice keeps its first old and its last new value, and repeated
    /// additions to a list field (observables, alerts) are joined.
    mutating func record(_ field: String, old: String?, new: String?) {
        if let old, before[field] == nil { before[field] = old }
        if let new {
            if let existing = after[field], old == nil, before[field] == nil {
                after[field] = existing + ", " + new
            } else {
                after[field] = new
            }
        } else if after[field] != nil {
            after[field] = nil
        }
    }
}
