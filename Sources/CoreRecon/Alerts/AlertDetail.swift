import Foundation

/// What `alert show` prints of one alert: the alert, its stored OCSF record, its SLA clocks and the indicators
/// it matched, as the database or the API (`GET /api/v1/alerts/{id}`) gives them.
public struct AlertDetail: Sendable {
    public var alert: Alert
    /// The OCSF 1.5.0 Detection Finding as stored (JSON text).
    public var ocsf: String
    public var clocks: [SLAClock]
    public var matches: [AlertIndicatorMatch]

    public init(alert: Alert, ocsf: String, clocks: [SLAClock], matches: [AlertIndicatorMatch]) {
        self.alert = alert
        self.ocsf = ocsf
        self.clocks = clocks
        self.matches = matches
    }

    /// The API's answer: the alert's fields, `ocsf`, `sla` and `iocMatches`.
    public func jsonObject(at now: Date) -> JSONValue {
        guard case .object(var members) = alert.jsonObject(), let record = try? JSONParser.parse(ocsf) else {
            return alert.jsonObject()
        }
        members.append(JSONMember("ocsf", record))
        members.append(JSONMember("sla", .array(clocks.map { $0.jsonObject(at: now) })))
        members.append(JSONMember("iocMatches", .array(matches.map(\.jsonObject))))
        return .object(members)
    }

    /// From ``jsonObject(at:)``; nil when it is not one.
    public init?(json: JSONValue) {
        guard let alert = Alert(json: json), let record = json[key: "ocsf"],
            let clockValues = json[key: "sla"]?.arrayValue,
            let matchValues = json[key: "iocMatches"]?.arrayValue
        else { return nil }
        var clocks: [SLAClock] = []
        for value in clockValues {
            guard let clock = SLAClock(json: value) else { return nil }
            clocks.append(clock)
        }
        var matches: [AlertIndicatorMatch] = []
        for value in matchValues {
            guard let match = AlertIndicatorMatch(json: value, alertID: alert.id) else { return nil }
            matches.append(match)
        }
        self.init(alert: alert, ocsf: record.jsonString, clocks: clocks, matches: matches)
    }
}

extension AlertIndicatorMatch {
    /// As `GET /api/v1/alerts/{id}` lists it under `iocMatches`.
    public var jsonObject: JSONValue {
        .object([
            JSONMember("value", .string(value)), JSONMember("indicatorId", .int(indicatorID)),
            JSONMember("type", .string(type.rawValue)), JSONMember("indicator", .string(indicator)),
            JSONMember("tags", .array(tags.map(JSONValue.string))),
            JSONMember("tlp", tlp.map { .string($0.rawValue) } ?? .null),
            JSONMember("sources", .array(sources.map(JSONValue.string))),
            JSONMember("matchedAt", .string(ISO8601Format.string(from: matchedAt))),
        ])
    }

    public init?(json: JSONValue, alertID: Int64) {
        func texts(_ key: String) -> [String]? { json[key: key]?.arrayValue?.compactMap(\.text) }
        guard let value = json[key: "value"]?.text, let indicatorID = json[key: "indicatorId"]?.int,
            let type = json[key: "type"]?.text.flatMap(IndicatorType.init(rawValue:)),
            let indicator = json[key: "indicator"]?.text, let tags = texts("tags"), let sources = texts("sources"),
            let matchedAt = json[key: "matchedAt"]?.text.flatMap(TimestampParser.iso8601)
        else { return nil }
        self.init(
            alertID: alertID, indicatorID: Int64(indicatorID), value: value, type: type, indicator: indicator,
            tags: tags, tlp: json[key: "tlp"]?.text.flatMap(TLP.init(rawValue:)), sources: sources,
            matchedAt: matchedAt)
    }
}
