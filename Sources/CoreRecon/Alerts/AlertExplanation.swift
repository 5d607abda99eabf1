import Foundation

/// Why records merged into an alert, as `alert explain` prints it and `GET /api/v1/alerts/{id}/explain` answers:
/// the fingerprint's fields and every delivery, oldest first.
public struct AlertExplanation: Sendable {
    public var alert: Alert
    public var fields: [FingerprintPart]
    public var deliveries: [AlertDelivery]

    public init(alert: Alert, fields: [FingerprintPart], deliveries: [AlertDelivery]) {
        self.alert = alert
        self.fields = fields
        self.deliveries = deliveries
    }

    /// `alert` (as `GET /alerts/{id}` has it), `fields` and `deliveries` ({deliveryKey, eventTime, receivedAt}).
    public var jsonObject: JSONValue {
        func time(_ date: Date?) -> JSONValue { date.map { .string(ISO8601Format.string(from: $0)) } ?? .null }
        return .object([
            JSONMember("alert", alert.jsonObject()),
            JSONMember(
                "fields",
                .array(
                    fields.map {
                        .object([JSONMember("field", .string($0.field)), JSONMember("value", .string($0.value))])
                    })),
            JSONMember(
                "deliveries",
                .array(
                    deliveries.map {
                        .object([
                            JSONMember("deliveryKey", .string($0.key)), JSONMember("eventTime", time($0.eventTime)),
                            JSONMember("receivedAt", time($0.receivedAt)),
                        ])
                    })),
        ])
    }

    /// From ``jsonObject``; nil when it is not one.
    public init?(json: JSONValue) {
        func time(_ value: JSONValue?) -> Date? { value?.text.flatMap(TimestampParser.iso8601) }
        guard let alertValue = json[key: "alert"], let alert = Alert(json: alertValue),
            let fieldValues = json[key: "fields"]?.arrayValue, let deliveryValues = json[key: "deliveries"]?.arrayValue
        else { return nil }
        var fields: [FingerprintPart] = []
        for value in fieldValues {
            guard let field = value[key: "field"]?.text, let text = value[key: "value"]?.text else { return nil }
            fields.append(FingerprintPart(field: field, value: text))
        }
        var deliveries: [AlertDelivery] = []
        for value in deliveryValues {
            guard let key = value[key: "deliveryKey"]?.text, let receivedAt = time(value[key: "receivedAt"]) else {
                return nil
            }
            deliveries.append(AlertDelivery(key: key, receivedAt: receivedAt, eventTime: time(value[key: "eventTime"])))
        }
        self.init(alert: alert, fields: fields, deliveries: deliveries)
    }
}
