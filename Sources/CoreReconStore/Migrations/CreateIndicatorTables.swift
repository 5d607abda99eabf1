/// Migration: threat intelligence. One row per (type, canonical value) in `indicators`, the feeds that reported
/// it in `indicator_sources`, and every sighting in `indicator_sightings`.
struct CreateIndicatorTables: Migration {
    let version = 9
    let name = "indicators"

    func statements(for backend: DatabaseBackend) -> [String] {
        let id = backend.autoIncrementPrimaryKey
        return [
            """
            CREATE TABLE indicators (
                id \(id),
                type TEXT NOT NULL,
                value TEXT NOT NULL,
                tlp TEXT,
                confidence INTEGER NOT NULL,
                tags TEXT NOT NULL,
                techniques TEXT NOT NULL,
                description TEXT,
                valid_from BIGINT,
                valid_until BIGINT,
                revoked INTEGER NOT NULL DEFAULT 0,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                sightings INTEGER NOT NULL DEFAULT 0,
                false_positives INTEGER NOT NULL DEFAULT 0,
                pattern TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (type, value)
            )
            """,
            "CREATE INDEX indicators_value ON indicators (value)",
            "CREATE INDEX indicators_last_seen ON indicators (last_seen, id)",
            """
            CREATE TABLE indicator_sources (
                indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
                source TEXT NOT NULL,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                PRIMARY KEY (indicator_id, source)
            )
            """,
            "CREATE INDEX indicator_sources_source ON indicator_sources (source)",
            """
            CREATE TABLE indicator_sightings (
                id \(id),
                indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
                at BIGINT NOT NULL,
                source TEXT NOT NULL,
                false_positive INTEGER NOT NULL,
                alert_id BIGINT
            )
            """,
            "CREATE INDEX indicator_sightings_indicator ON indicator_sightings (indicator_id, at)",
        ]
    }
}
