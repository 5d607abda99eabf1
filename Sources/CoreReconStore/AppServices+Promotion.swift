import CoreRecon
import Foundation

extension AppServices {
    /// An incident's observable marked as an indicator of compromise (`incident observable add --ioc`) enters the
    /// indicator store too, reported by the incident (source `incident:IR-0001`, tag `incident:IR-0001`), so
    /// ingest, `ioc match` and the exports find it. User names have no indicator type and stay with the incident;
    /// a file path is kept as its file name. Returns the indicator, or nil when there is none to make.
    public func promote(_ observable: IncidentObservable, of key: IncidentKey, actor: String) async throws
        -> Indicator?
    {
        guard observable.isIOC else { return nil }
        let type: IndicatorType
        var value = observable.value
        switch observable.type {
        case .user: return nil
        case .filePath:
            type = .filename
            value = String(value.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(value))
        default:
            guard let mapped = IndicatorType(rawValue: observable.type.rawValue) else { return nil }
            type = mapped
        }
        var report = try IndicatorReport.parse(value, type: type, source: "incident:\(key)", location: "observable")
        report.tlp = observable.tlp
        report.tags = IndicatorReport.merging(observable.tags, ["incident:\(key)"])
        report.description = "From incident \(key)"
        _ = try await indicators.importReports([report], actor: actor)
        return try await indicators.find(report.value)
    }
}

/// What adding an observable to an incident did: the observable, whether it was new, and for an IOC the indicator
/// it became (or why it did not).
public struct ObservableAddition: Sendable {
    public var observable: IncidentObservable
    public var isNew: Bool
    /// `id`, `type` and `value` of the indicator the observable became.
    public var indicator: (id: Int64, type: String, value: String)?
    /// Why an IOC did not become an indicator (it is stored with the incident all the same).
    public var indicatorProblem: String?

    public init(
        observable: IncidentObservable, isNew: Bool, indicator: (id: Int64, type: String, value: String)? = nil,
        indicatorProblem: String? = nil
    ) {
        self.observable = observable
        self.isNew = isNew
        self.indicator = indicator
        self.indicatorProblem = indicatorProblem
    }

    /// The observable's fields, `indicator` ({id, type, value} or null) and `indicatorProblem` (or null), as
    /// `POST /api/v1/incidents/{id}/observables` answers.
    public var jsonObject: JSONValue {
        let observableJSON =
            (try? JSONParser.parse(Array(JSONEncoder.rfc3339Encoder().encode(observable)))) ?? .object([])
        guard case .object(var members) = observableJSON else { return observableJSON }
        members.append(
            JSONMember(
                "indicator",
                indicator.map {
                    .object([
                        JSONMember("id", .int($0.id)), JSONMember("type", .string($0.type)),
                        JSONMember("value", .string($0.value)),
                    ])
                } ?? .null))
        members.append(JSONMember("indicatorProblem", indicatorProblem.map(JSONValue.string) ?? .null))
        return .object(members)
    }
}

extension AppServices {
    /// Adds an observable to an incident and, when it is an IOC, makes it an indicator: a refused indicator
    /// leaves the observable stored, and says why.
    public func addObservable(
        _ key: IncidentKey, value: String, type: ObservableType?, isIOC: Bool, tlp: TLP?, tags: [String],
        by actor: String
    ) async throws -> ObservableAddition {
        let (observable, isNew) = try await incidents.addObservable(
            key, value: value, type: type, isIOC: isIOC, tlp: tlp, tags: tags, by: actor)
        var addition = ObservableAddition(observable: observable, isNew: isNew)
        do {
            if let indicator = try await promote(observable, of: key, actor: actor) {
                addition.indicator = (indicator.id, indicator.type.rawValue, indicator.value)
            }
        } catch {
            addition.indicatorProblem = "\(error)"
        }
        return addition
    }
}
