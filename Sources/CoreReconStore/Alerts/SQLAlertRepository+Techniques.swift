import CoreRecon
import Foundation
import SQLKit

extension SQLAlertRepository {
    public func changeTechnique(
        id: Alert.ID, technique: String, tactic: String?, isRemoval: Bool, entry: AlertHistoryEntry
    ) async throws -> Alert? {
        let backend = database.backend
        return try await database.transaction { sql in
            guard
                try await sql.raw(
                    "SELECT id FROM alerts WHERE id = \(bind: id)\(unsafeRaw: backend.lockForUpdate)"
                ).first() != nil
            else { return nil }
            let isMapped =
                try await sql.raw(
                    "SELECT 1 AS x FROM alert_techniques WHERE alert_id = \(bind: id) AND technique_id = \(bind: technique)"
                ).first() != nil
            if isRemoval {
                guard isMapped else { throw CoreReconError.conflict("alert \(id) is not mapped to \(technique).") }
                try await sql.raw(
                    "DELETE FROM alert_techniques WHERE alert_id = \(bind: id) AND technique_id = \(bind: technique)"
                ).run()
            } else {
                guard !isMapped else { throw CoreReconError.conflict("alert \(id) is already mapped to \(technique).") }
                try await sql.raw(
                    """
                    INSERT INTO alert_techniques (alert_id, technique_id, tactic)
                    VALUES (\(bind: id), \(bind: technique), \(bind: tactic))
                    """
                ).run()
            }
            try await Self.insertHistory(entry, on: sql)
            try await sql.raw(
                "UPDATE alerts SET updated_at = \(bind: entry.at.milliseconds) WHERE id = \(bind: id)"
            ).run()
            let alert = try await Self.alerts(
                "SELECT \(unsafeRaw: alertColumns) FROM alerts WHERE alerts.id = \(bind: id)", on: sql
            ).first
            if let alert {
                try await EventLog.append(
                    [.alert(AlertEvent(kind: .updated, alert: alert))], at: entry.at, on: sql, backend: backend)
            }
            return alert
        }
    }
}
