/// A change to an alert: a row of the events table, written in the change's transaction.
public struct AlertEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case created = "alert.created"
        case updated = "alert.updated"
        /// Its observables matched an indicator (threat intelligence).
        case iocMatched = "alert.ioc_matched"
    }

    public var kind: Kind
    public var alert: Alert

    public init(kind: Kind, alert: Alert) {
        self.kind = kind
        self.alert = alert
    }
}

/// A change to an incident: a row of the events table, written in the change's transaction.
public struct IncidentEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case created = "incident.created"
        case updated = "incident.updated"
    }

    public var kind: Kind
    public var incident: Incident

    public init(kind: Kind, incident: Incident) {
        self.kind = kind
        self.incident = incident
    }
}

/// Any change the stream carries.
public enum ChangeEvent: Sendable, Equatable {
    case alert(AlertEvent)
    case incident(IncidentEvent)
}
