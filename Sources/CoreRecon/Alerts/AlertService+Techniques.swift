import Foundation

extension AlertService {
    /// Maps alert `id` to an ATT&CK technique as `actor`, recording `map` in its history.
    ///
    /// The technique is validated by `attack` (unknown, revoked and deprecated ids are refused, naming the
    /// replacement); `tactic` (id, short name or name) must be one of the technique's tactics, and defaults to
    /// its only tactic. The tactic is stored by name, as ingest stores it.
    @discardableResult
    public func mapTechnique(
        _ id: Alert.ID, technique: String, tactic: String?, by actor: String, using attack: ATTACKService
    ) async throws -> Alert {
        let valid = try await attack.validate(technique)
        let resolved = try await attack.tactic(tactic, of: valid)
        let entry = AlertHistoryEntry(
            alertID: id, at: now(), actor: actor, action: "map", field: "technique",
            newValue: valid.id + (resolved.map { " (\($0.name))" } ?? ""))
        return try await changeTechnique(
            id, technique: valid.id, tactic: resolved?.name, isRemoval: false, entry: entry)
    }

    /// Removes a technique from alert `id` as `actor`, recording `unmap` in its history.
    @discardableResult
    public func unmapTechnique(_ id: Alert.ID, technique: String, by actor: String) async throws -> Alert {
        let key = technique.trimmingCharacters(in: .whitespaces).uppercased()
        let entry = AlertHistoryEntry(
            alertID: id, at: now(), actor: actor, action: "unmap", field: "technique", oldValue: key)
        return try await changeTechnique(id, technique: key, tactic: nil, isRemoval: true, entry: entry)
    }

    private func changeTechnique(
        _ id: Alert.ID, technique: String, tactic: String?, isRemoval: Bool, entry: AlertHistoryEntry
    ) async throws -> Alert {
        guard
            let alert = try await repository.changeTechnique(
                id: id, technique: technique, tactic: tactic, isRemoval: isRemoval, entry: entry)
        else { throw CoreReconError.notFound(kind: "alert", id: "\(id)") }
        changes.changed()
        logger.info(
            "Alert technique changed",
            metadata: [
                "alert.id": "\(id)", "actor": "\(entry.actor)", "technique": "\(technique)",
                "change": "\(entry.action)",
            ])
        return alert
    }
}
