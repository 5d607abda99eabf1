/// Migration: MISP warninglists, and the warninglists each indicator is on (`indicators.warning`), so flagged
/// indicators are shown as such and never matched.
struct CreateWarninglists: Migration {
    let version = 10
    let name = "warninglists"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            "ALTER TABLE indicators ADD COLUMN warning TEXT",
            """
            CREATE TABLE warninglists (
                name TEXT PRIMARY KEY,
                description TEXT NOT NULL,
                type TEXT NOT NULL,
                version INTEGER NOT NULL,
                matching TEXT NOT NULL,
                entries TEXT NOT NULL,
                imported_at BIGINT NOT NULL
            )
            """,
        ]
    }
}
