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
