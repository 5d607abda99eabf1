import Foundation

extension AlertQuery {
    /// Builds a query from filter texts as the command line, `--where` and the API's query string give them;
    /// errors name the option (`--severity`, `severity`) through `optionPrefix`.
    public static func parse(
        statuses: [String], severity: String?, sources: [String], since: String?, until: String?,
        receivedSince: String? = nil, assignee: String?, search: String?, technique: String?, sla: String? = nil,
        now: Date, optionPrefix: String
    ) throws(CoreReconError) -> AlertQuery {
        var query = AlertQuery()
        if let sla {
            let name = sla.lowercased().replacingOccurrences(of: "-", with: "_")
            guard let state = SLAState(rawValue: name), [.breached, .atRisk, .paused].contains(state) else {
                throw .invalidInput(
                    location: "\(optionPrefix)sla", reason: "'\(sla)' is not an SLA state: breached, at-risk or paused."
                )
            }
            query.sla = state
            query.slaAt = now
        }
        for text in statuses.flatMap({ $0.split(separator: ",") }) {
            let name = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
            guard let status = AlertStatus(rawValue: name) else {
                throw .invalidInput(
                    location: "\(optionPrefix)status",
                    reason:
                        "'\(text)' is not a status. Use one of \(AlertStatus.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            query.statuses.append(status)
        }
        if let severity {
            guard let minimum = Severity(name: severity) else {
                throw .invalidInput(
                    location: "\(optionPrefix)severity",
                    reason: "'\(severity)' is not a severity. Use informational, low, medium, high or critical."
                )
            }
            query.minimumSeverity = minimum
        }
        query.sources = sources.flatMap { $0.split(separator: ",").map(String.init) }
        if let since { query.since = try TimeExpression.parse(since, now: now, option: "\(optionPrefix)since") }
        if let until { query.until = try TimeExpression.parse(until, now: now, option: "\(optionPrefix)until") }
        if let receivedSince {
            // The API's query parameters are camelCase like its JSON; the command line and --where use a dash.
            let option = optionPrefix.isEmpty ? "receivedSince" : "\(optionPrefix)received-since"
            query.receivedSince = try TimeExpression.parse(receivedSince, now: now, option: option)
        }
        query.assignee = assignee
        query.search = search
        if let technique {
            guard Self.isTechniqueID(technique) else {
                throw .invalidInput(
                    location: "\(optionPrefix)technique",
                    reason: "'\(technique)' is not an ATT&CK technique id such as T1059 or T1059.001."
                )
            }
            query.technique = technique
        }
        return query
    }

    /// `T1059` or `T1059.001` (any case). Checked by hand: a regular expression would load ICU, which costs
    /// more start-up time than the whole query.
    public static func isTechniqueID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 } }
        guard bytes.count == 5 || bytes.count == 9, bytes[0] | 0x20 == UInt8(ascii: "t"), digits(1..<5) else {
            return false
        }
        return bytes.count == 5 || (bytes[5] == UInt8(ascii: ".") && digits(6..<9))
    }

    /// Parses a `--where` filter: `key=value` pairs separated by spaces, with the keys of `alert list`
    /// (`status=new,acknowledged severity=high source=suricata since=24h received-since=1h assignee=none
    /// technique=T1059 search=...`).
    public static func parseWhere(_ text: String, now: Date) throws(CoreReconError) -> AlertQuery {
        var values: [String: String] = [:]
        for pair in text.split(separator: " ") where !pair.isEmpty {
            guard let equals = pair.firstIndex(of: "=") else {
                throw .invalidInput(
                    location: "--where", reason: "'\(pair)' is not key=value (for example severity=high).")
            }
            let key = String(pair[..<equals])
            let known = [
                "status", "severity", "source", "since", "until", "received-since", "assignee", "search", "technique",
            ]
            guard known.contains(key) else {
                throw .invalidInput(
                    location: "--where", reason: "unknown filter '\(key)'. Use \(known.joined(separator: ", ")).")
            }
            let value = String(pair[pair.index(after: equals)...])
            values[key] = values[key].map { "\($0) \(value)" } ?? value
        }
        guard !values.isEmpty else {
            throw .invalidInput(location: "--where", reason: "the filter is empty; name at least one key=value.")
        }
        return try parse(
            statuses: values["status"].map { [$0] } ?? [], severity: values["severity"],
            sources: values["source"].map { [$0] } ?? [], since: values["since"], until: values["until"],
            receivedSince: values["received-since"], assignee: values["assignee"], search: values["search"],
            technique: values["technique"], now: now, optionPrefix: "--where "
        )
    }
}
