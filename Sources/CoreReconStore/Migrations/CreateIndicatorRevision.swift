/// Migration: a counter that every change to what matching sees (an import, an edit, a revocation, a deletion,
/// a warninglist) moves in its own transaction, and sightings do not. A process's cached matcher compares it
/// instead of reloading every indicator on a timer.
struct CreateIndicatorRevision: Migration {
    let version = 13
    let name = "indicator_revision"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            "CREATE TABLE indicator_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)",
            "INSERT INTO indicator_revision (id, revision) VALUES (1, 0)",
        ]
    }
}
