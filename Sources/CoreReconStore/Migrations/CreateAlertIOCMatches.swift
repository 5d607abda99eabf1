/// Migration: which alerts matched which indicators (the enrichment `alert show` prints), one row per pair.
struct CreateAlertIOCMatches: Migration {
    let version = 11
    let name = "alert_ioc_matches"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            """
            CREATE TABLE alert_ioc_matches (
                alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
                value TEXT NOT NULL,
                matched_at BIGINT NOT NULL,
                PRIMARY KEY (alert_id, indicator_id)
            )
            """,
            "CREATE INDEX alert_ioc_matches_indicator ON alert_ioc_matches (indicator_id, matched_at)",
        ]
    }
}
